using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ConvolutionOps
{
    public static readonly OpDefinition Convolution = new ConvolutionOp("Convolution", grouped: false);
}
