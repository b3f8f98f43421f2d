using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>Scatter reductions, OneHot, EyeLike, Compress, CumSum and BitShift forms the ONNX backend tests do not reach.</summary>
public sealed class IndexingTranslatorsTests
{
    [Theory]
    [InlineData("add", new[] { 12f, 2f, 3f, 11f })]
    [InlineData("mul", new[] { 30f, 2f, 3f, 28f })]
    [InlineData("max", new[] { 6f, 2f, 3f, 7f })]
    [InlineData("min", new[] { 1f, 2f, 3f, 4f })]
    public void ScatterElements_reductions_fold_every_update_into_the_data(string reduction, float[] expected)
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("data", ElementType.F32, 4)
            .Initializer("indices", Tensor.FromArray([0L, 0L, -1L], 3))
            .Input("updates", ElementType.F32, 3)
            .Node("ScatterElements", ["data", "indices", "updates"], ["y"], OnnxGraphBuilder.String("reduction", reduction))
            .Output("y", ElementType.F32, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 4), Tensor.FromArray([5f, 6f, 7f], 3))[0];

        Assert.Equal(expected, y.As<float>());
    }

    [Fact]
    public void ScatterND_max_reduction_combines_repeated_slices()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("data", ElementType.I32, 2, 2)
            .Initializer("indices", Tensor.FromArray([1L, 1L], 2, 1))
            .Input("updates", ElementType.I32, 2, 2)
            .Node("ScatterND", ["data", "indices", "updates"], ["y"], OnnxGraphBuilder.String("reduction", "max"))
            .Output("y", ElementType.I32, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1, 2, 3, 4], 2, 2), Tensor.FromArray([5, 1, 2, 9], 2, 2))[0];

        Assert.Equal([1, 2, 5, 9], y.As<int>());
    }

    /// <summary>With a scalar depth given at run time: negative indices count from depth, indices outside [-depth, depth) are all off.</summary>
    [Fact]
    public void OneHot_with_a_scalar_depth_input_keeps_indices_out_of_range_all_off()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("indices", ElementType.I64, 4)
            .Input("depth", ElementType.I64)
            .Initializer("values", Tensor.FromArray([0f, 1f], 2))
            .Node("OneHot", ["indices", "depth", "values"], ["y"])
            .Output("y", ElementType.F32, 4, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-3L, 3L, -4L, -1L], 4), Tensor.FromArray([3L]))[0];

        Assert.Equal([4L, 3L], y.Shape);
        Assert.Equal([1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f], y.As<float>());
    }

    [Fact]
    public void OneHot_accepts_float_indices_a_vector_depth_and_negative_indices()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("indices", ElementType.F32, 2)
            .Initializer("depth", Tensor.FromArray([3f], 1))
            .Initializer("values", Tensor.FromArray([0, 5], 2))
            .Node("OneHot", ["indices", "depth", "values"], ["y"])
            .Output("y", ElementType.I32, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, -1f], 2))[0];

        Assert.Equal([2L, 3L], y.Shape);
        Assert.Equal([0, 5, 0, 0, 0, 5], y.As<int>());
    }

    [Fact]
    public void EyeLike_on_a_dynamic_shape_builds_the_matrix_at_run_time()
    {
        var onnx = new OnnxGraphBuilder(opset: 9)
            .DynamicInput("x", ElementType.I32, -1, -1)
            .Node("EyeLike", ["x"], ["y"], OnnxGraphBuilder.Int("k", 1), OnnxGraphBuilder.Int("dtype", 1))
            .Output("y", ElementType.F32, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new int[6], 2, 3))[0];

        Assert.Equal(ElementType.F32, y.Type);
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f], y.As<float>());
    }

    [Fact]
    public void Compress_without_axis_selects_from_the_flattened_input_with_a_short_condition()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 2, 2)
            .Input("condition", ElementType.Boolean, 3)
            .Node("Compress", ["x", "condition"], ["y"])
            .Output("y", ElementType.F32, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2), Tensor.FromArray([false, true, true], 3))[0];

        Assert.Equal([2f, 3f], y.As<float>());
    }

    [Fact]
    public void CumSum_takes_a_one_element_axis_vector_and_sums_integers()
    {
        var onnx = new OnnxGraphBuilder(opset: 14)
            .Input("x", ElementType.I32, 2, 3)
            .Initializer("axis", Tensor.FromArray([1], 1))
            .Node("CumSum", ["x", "axis"], ["y"], OnnxGraphBuilder.Int("reverse", 1))
            .Output("y", ElementType.I32, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3))[0];

        Assert.Equal([6, 5, 3, 15, 11, 6], y.As<int>());
    }

    [Fact]
    public void BitShift_left_wraps_and_right_shifts_the_full_64_bits()
    {
        var left = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.U8, 2).Input("s", ElementType.U8, 2)
            .Node("BitShift", ["x", "s"], ["y"], OnnxGraphBuilder.String("direction", "LEFT"))
            .Output("y", ElementType.U8, 2);
        var right = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.U64, 1).Input("s", ElementType.U64, 1)
            .Node("BitShift", ["x", "s"], ["y"], OnnxGraphBuilder.String("direction", "RIGHT"))
            .Output("y", ElementType.U64, 1);

        var shiftedLeft = ConversionHarness.ConvertAndRun(left, new Tensor(ElementType.U8, [2], new byte[] { 200, 1 }), new Tensor(ElementType.U8, [2], new byte[] { 1, 8 }))[0];
        var shiftedRight = ConversionHarness.ConvertAndRun(right, new Tensor(ElementType.U64, [1], new[] { 1UL << 63 }), Tensor.FromArray([1L], 1).ConvertTo(ElementType.U64))[0];

        Assert.Equal(new byte[] { 144, 0 }, shiftedLeft.As<byte>());
        Assert.Equal([1UL << 62], shiftedRight.As<ulong>());
    }

    [Fact]
    public void NonZero_of_a_dynamic_input_lists_coordinates_row_major()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("x", ElementType.I32, -1, -1)
            .Node("NonZero", ["x"], ["y"])
            .Output("y", ElementType.I64, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([0, 7, 3, 0, 0, 1], 2, 3))[0];

        Assert.Equal([2L, 3L], y.Shape);
        Assert.Equal([0L, 0L, 1L, 1L, 2L, 2L], y.As<long>());
    }

    /// <summary>Found by the differential suite: indices shorter than the data outside the axis failed to convert (MB2002).</summary>
    [Fact]
    public void GatherElements_takes_indices_shorter_than_the_data_outside_the_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("data", ElementType.F32, 2, 3)
            .Initializer("indices", Tensor.FromArray([1L, -2L], 1, 2))
            .Node("GatherElements", ["data", "indices"], ["y"], OnnxGraphBuilder.Int("axis", 0))
            .Output("y", ElementType.F32, 1, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3))[0];

        Assert.Equal([1L, 2L], y.Shape);
        Assert.Equal([4f, 2f], y.As<float>());
    }

    /// <summary>Negative indices are wrapped by one FloorMod: every index ONNX accepts, [-length, length), in i32 as in i64.</summary>
    [Fact]
    public void GatherElements_wraps_every_negative_index_onnx_accepts()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("data", ElementType.F32, 2, 3)
            .Input("indices", ElementType.I32, 2, 6)
            .Node("GatherElements", ["data", "indices"], ["y"], OnnxGraphBuilder.Int("axis", 1))
            .Output("y", ElementType.F32, 2, 6);

        var y = ConversionHarness.ConvertAndRun(onnx,
            Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), Tensor.FromArray([-3, -2, -1, 0, 1, 2, 2, 1, 0, -1, -2, -3], 2, 6))[0];

        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f, 6f, 5f, 4f, 6f, 5f, 4f], y.As<float>());
    }
}
