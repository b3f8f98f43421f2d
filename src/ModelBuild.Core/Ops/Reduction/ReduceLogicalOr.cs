using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceLogicalOr = new ReduceOp("ReduceLogicalOr", version: 1, ReductionKind.LogicalOr);
}
