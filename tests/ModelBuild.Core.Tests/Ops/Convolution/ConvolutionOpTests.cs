using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of Convolution and GroupConvolution on partial shapes.</summary>
public sealed class ConvolutionOpTests
{
    [Fact]
    public void Convolution_of_dynamic_rank_data_takes_its_rank_from_the_attributes_and_channels_from_the_filters()
    {
        var y = new GraphBuilder().Make(ConvolutionOps.Convolution, [Parameter(PartialShape.DynamicRank), Parameter(PartialShape.Static(8, 3, 3, 3))], Conv2d);

        // Unknown lengths still give at least one window.
        Assert.Equal(PartialShape.Of(Dimension.Dynamic, 8, AtLeast(1), AtLeast(1)), y.Shape);
    }

    [Fact]
    public void Convolution_keeps_static_dims_next_to_dynamic_ones()
    {
        var data = Parameter(PartialShape.Of(Dimension.Dynamic, 3, 7, Dimension.Dynamic));

        var y = new GraphBuilder().Make(ConvolutionOps.Convolution, [data, Parameter(PartialShape.Static(8, 3, 3, 3))], Conv2d);

        // Height: (7 + 2 − 3) / 2 + 1 = 4.
        Assert.Equal(PartialShape.Of(Dimension.Dynamic, 8, 4, AtLeast(1)), y.Shape);
    }

    [Fact]
    public void GroupConvolution_multiplies_groups_and_channels_per_group()
    {
        var y = new GraphBuilder().Make(ConvolutionOps.GroupConvolution,
            [Parameter(PartialShape.Static(1, 4, 5, 5)), Parameter(PartialShape.Static(2, 3, 2, 3, 3))], Conv2d);

        Assert.Equal(PartialShape.Static(1, 6, 3, 3), y.Shape);
    }

    [Fact]
    public void Convolution_rejects_filters_for_another_channel_count()
    {
        var error = Assert.Throws<InferenceException>(() => new GraphBuilder().Make(ConvolutionOps.Convolution,
            [Parameter(PartialShape.Static(1, 4, 5, 5)), Parameter(PartialShape.Static(8, 3, 3, 3))], Conv2d));

        Assert.Contains("input channels", error.Message, StringComparison.Ordinal);
    }
}
