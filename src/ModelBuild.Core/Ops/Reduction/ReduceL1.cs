using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceL1 = new ReduceOp("ReduceL1", version: 4, ReductionKind.L1);
}
