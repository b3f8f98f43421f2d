using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceLogicalAnd = new ReduceOp("ReduceLogicalAnd", version: 1, ReductionKind.LogicalAnd);
}
