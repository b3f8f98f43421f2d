using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceMax = new ReduceOp("ReduceMax", version: 1, ReductionKind.Max);
}
