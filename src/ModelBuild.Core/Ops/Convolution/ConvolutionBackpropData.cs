using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ConvolutionOps
{
    public static readonly OpDefinition ConvolutionBackpropData = new ConvolutionBackpropDataOp("ConvolutionBackpropData", grouped: false);
}
