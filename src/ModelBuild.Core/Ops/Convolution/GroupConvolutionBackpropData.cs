using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ConvolutionOps
{
    public static readonly OpDefinition GroupConvolutionBackpropData = new ConvolutionBackpropDataOp("GroupConvolutionBackpropData", grouped: true);
}
