using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SignalOps
{
    public static readonly OpDefinition Idft = new FourierTransformOp("IDFT", version: 7, FourierKind.Inverse);
}
