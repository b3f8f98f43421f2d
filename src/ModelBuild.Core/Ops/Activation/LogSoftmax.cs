using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    public static readonly OpDefinition LogSoftmax = new SoftmaxOp("LogSoftmax", version: 5, log: true);
}
