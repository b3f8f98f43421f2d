using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceL2 = new ReduceOp("ReduceL2", version: 4, ReductionKind.L2);
}
