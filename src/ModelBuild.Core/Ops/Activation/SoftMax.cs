using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    public static readonly OpDefinition SoftMax = new SoftmaxOp("SoftMax", version: 8, log: false);
}
