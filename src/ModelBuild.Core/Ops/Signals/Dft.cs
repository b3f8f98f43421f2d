using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SignalOps
{
    public static readonly OpDefinition Dft = new FourierTransformOp("DFT", version: 7, FourierKind.Forward);
}
