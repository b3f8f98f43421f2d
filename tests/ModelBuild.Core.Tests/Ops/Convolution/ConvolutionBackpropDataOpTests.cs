using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of ConvolutionBackpropData on partial shapes.</summary>
public sealed class ConvolutionBackpropDataOpTests
{
    [Fact]
    public void ConvolutionBackpropData_with_a_computed_output_shape_has_dynamic_spatial_dims()
    {
        var b = new GraphBuilder();
        var y = b.Make(ConvolutionOps.ConvolutionBackpropData,
            [Parameter(PartialShape.Static(1, 4, 5, 5)), Parameter(PartialShape.Static(4, 2, 3, 3)), Parameter(PartialShape.Static(2), ElementType.I64)],
            [.. Conv2d, ("output_padding", new long[] { 0, 0 })]);

        Assert.Equal(PartialShape.Of(1, 2, Dimension.Dynamic, Dimension.Dynamic), y.Shape);
    }

    [Fact]
    public void ConvolutionBackpropData_without_output_shape_grows_by_the_stride()
    {
        var y = new GraphBuilder().Make(ConvolutionOps.ConvolutionBackpropData,
            [Parameter(PartialShape.Of(1, 4, Dimension.Dynamic, 5)), Parameter(PartialShape.Static(4, 2, 3, 3))],
            [.. Conv2d, ("output_padding", new long[] { 1, 0 })]);

        // Width: 1·(5 − 1) + 3 − 0 − 0 = 7; height: 2·(h − 1) + 3 − 1 − 1 + 1, at least 2.
        Assert.Equal(PartialShape.Of(1, 2, AtLeast(2), 7), y.Shape);
    }
}
