using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>Type and shape inference of the convolution, pooling and normalization ops on partial shapes.</summary>
public sealed class WindowOpInferenceTests
{
    private static readonly (string, object)[] Conv2d =
        [("strides", new long[] { 2, 1 }), ("dilations", new long[] { 1, 1 }), ("pads_begin", new long[] { 1, 0 }), ("pads_end", new long[] { 1, 0 }), ("auto_pad", "explicit")];

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

    [Fact]
    public void MaxPool_gives_values_and_indices_the_pooled_shape()
    {
        var outputs = new GraphBuilder().MakeMulti(PoolingOps.MaxPool, [Parameter(PartialShape.Of(Dimension.Dynamic, 3, 9, Dimension.Dynamic))],
            ("strides", new long[] { 2, 2 }), ("pads_begin", new long[] { 0, 0 }), ("pads_end", new long[] { 0, 0 }), ("kernel", new long[] { 3, 3 }),
            ("rounding_type", "ceil"), ("index_element_type", ElementType.I32));

        var expected = PartialShape.Of(Dimension.Dynamic, 3, 4, AtLeast(1));
        Assert.Equal(expected, outputs[0].Shape);
        Assert.Equal(expected, outputs[1].Shape);
        Assert.Equal(ElementType.I32, outputs[1].Type);
    }

    [Fact]
    public void AvgPool_same_upper_on_a_dynamic_rank_input_knows_only_the_rank()
    {
        var y = new GraphBuilder().Make(PoolingOps.AvgPool, [Parameter(PartialShape.DynamicRank)],
            ("kernel", new long[] { 2 }), ("strides", new long[] { 2 }), ("pads_begin", new long[] { 0 }), ("pads_end", new long[] { 0 }),
            ("exclude-pad", true), ("auto_pad", "same_upper"));

        Assert.Equal(PartialShape.DynamicOfRank(3), y.Shape);
    }

    [Fact]
    public void AvgPool_rejects_a_kernel_larger_than_the_padded_input()
    {
        var error = Assert.Throws<InferenceException>(() => new GraphBuilder().Make(PoolingOps.AvgPool, [Parameter(PartialShape.Static(1, 1, 2))],
            ("kernel", new long[] { 3 }), ("strides", new long[] { 1 }), ("pads_begin", new long[] { 0 }), ("pads_end", new long[] { 0 }), ("exclude-pad", true)));

        Assert.Contains("does not fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchNormInference_learns_the_channel_count_from_its_parameters()
    {
        var parameter = Parameter(PartialShape.Static(6));

        var y = new GraphBuilder().Make(NormalizationOps.BatchNormInference, [Parameter(PartialShape.Of(2, Dimension.Dynamic, 4)), parameter, parameter, parameter, parameter], ("epsilon", 1e-5));

        Assert.Equal(PartialShape.Static(2, 6, 4), y.Shape);
    }

    [Fact]
    public void GroupNormalization_rejects_channels_that_do_not_split_into_groups()
    {
        var parameter = Parameter(PartialShape.Static(6));

        var error = Assert.Throws<InferenceException>(() => new GraphBuilder().Make(NormalizationOps.GroupNormalization,
            [Parameter(PartialShape.Of(1, 6, Dimension.Dynamic)), parameter, parameter], ("num_groups", 4L), ("epsilon", 1e-5)));

        Assert.Contains("groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mvn_rejects_an_axis_beyond_the_rank()
    {
        var b = new GraphBuilder();

        var error = Assert.Throws<InferenceException>(() => b.Make(NormalizationOps.Mvn, [Parameter(PartialShape.Static(2, 3)), b.Int64s(2)],
            ("eps", 1e-9), ("normalize_variance", true), ("eps_mode", "inside_sqrt")));

        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }

    private static Dimension AtLeast(long length) => new(length, Dimension.Unbounded);

    private static Output Parameter(PartialShape shape, ElementType type = ElementType.F32) =>
        Node.CreateParameter(type, shape, "p").Output();
}
