using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ConvolutionOps
{
    public static readonly OpDefinition GroupConvolution = new ConvolutionOp("GroupConvolution", grouped: true);
}
