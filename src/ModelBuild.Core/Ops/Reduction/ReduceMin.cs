using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceMin = new ReduceOp("ReduceMin", version: 1, ReductionKind.Min);
}
