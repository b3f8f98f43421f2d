using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceProd = new ReduceOp("ReduceProd", version: 1, ReductionKind.Prod);
}
