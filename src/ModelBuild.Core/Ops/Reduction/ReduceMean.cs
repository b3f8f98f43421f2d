using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ReductionOps
{
    public static readonly OpDefinition ReduceMean = new ReduceOp("ReduceMean", version: 1, ReductionKind.Mean);
}
