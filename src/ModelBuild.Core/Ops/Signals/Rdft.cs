using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SignalOps
{
    public static readonly OpDefinition Rdft = new FourierTransformOp("RDFT", version: 9, FourierKind.RealForward);
}
