using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceSum = new ReduceOp("ReduceSum", version: 1, ReductionKind.Sum);
}
