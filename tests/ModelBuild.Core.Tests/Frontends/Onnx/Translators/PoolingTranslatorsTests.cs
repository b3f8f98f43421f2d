using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class PoolingTranslatorsTests
{
    [Fact]
    public void MaxPool_storage_order_1_numbers_spatial_positions_column_major()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("x", ElementType.F32, 2, 1, 2, 3)
            .Node("MaxPool", ["x"], ["y", "i"], Ints("kernel_shape", 2, 2), Int("storage_order", 1))
            .Output("y", ElementType.F32, 2, 1, 1, 2).Output("i", ElementType.I64, 2, 1, 1, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 5f, 3f, 4f, 2f, 6f, 9f, 1f, 1f, 1f, 1f, 8f], 2, 1, 2, 3));

        // Batch 0: 5 at (h0, w1) and 6 at (h1, w2); column-major offsets w·H + h = 2 and 5. Batch 1 adds 6.
        TensorAssert.Close([2, 1, 1, 2], [5, 6, 9, 8], outputs[0]);
        Assert.Equal([2L, 5L, 6L, 11L], outputs[1].As<long>());
    }

    [Fact]
    public void MaxPool_same_upper_on_a_dynamic_length_pads_at_the_end()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .DynamicInput("x", ElementType.F32, 1, 1, -1)
            .Node("MaxPool", ["x"], ["y"], Ints("kernel_shape", 2), Ints("strides", 2), String("auto_pad", "SAME_UPPER"))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 2f, 5f, 4f], 1, 1, 5))[0];

        TensorAssert.Close([1, 1, 3], [3, 5, 4], y);
    }

    [Theory]
    [InlineData(0, new[] { 2.0, 2, 3, 4, 4 })]
    [InlineData(1, new[] { 1.0, 2, 3, 4, 2 })]
    public void Dilated_AveragePool_counts_padding_only_when_asked(long countIncludePad, double[] expected)
    {
        // Taps p−1 and p+1 over [1,2,3,4,5] with one zero of padding on each side.
        var onnx = new OnnxGraphBuilder(opset: 19)
            .Input("x", ElementType.F32, 1, 1, 5)
            .Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 2), Ints("dilations", 2), Ints("pads", 1, 1), Int("count_include_pad", countIncludePad))
            .Output("y", ElementType.F32, 1, 1, 5);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 1, 1, 5))[0];

        TensorAssert.Close([1, 1, 5], expected, y);
    }

    [Fact]
    public void Dilated_AveragePool_with_ceil_mode_averages_only_the_taps_inside_the_input()
    {
        var onnx = new OnnxGraphBuilder(opset: 19)
            .Input("x", ElementType.F32, 1, 1, 4)
            .Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 2), Ints("dilations", 2), Ints("strides", 2), Int("ceil_mode", 1), Int("count_include_pad", 1))
            .Output("y", ElementType.F32, 1, 1, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 1, 1, 4))[0];

        // Windows {x0, x2} and {x2, past the end}.
        TensorAssert.Close([1, 1, 2], [2, 3], y);
    }

    [Fact]
    public void AveragePool_with_ceil_mode_excludes_the_overhang_from_the_count()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 1, 5)
            .Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 2), Ints("strides", 2), Int("ceil_mode", 1), Int("count_include_pad", 1))
            .Output("y", ElementType.F32, 1, 1, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 6f], 1, 1, 5))[0];

        TensorAssert.Close([1, 1, 3], [1.5, 3.5, 6], y);
    }

    [Fact]
    public void LpPool_takes_the_p_norm_of_each_window()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 1, 4)
            .Node("LpPool", ["x"], ["y"], Ints("kernel_shape", 2), Int("p", 2))
            .Output("y", ElementType.F32, 1, 1, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([3f, -4f, 0f, 5f], 1, 1, 4))[0];

        TensorAssert.Close([1, 1, 3], [5, 4, 5], y);
    }

    [Fact]
    public void GlobalLpPool_with_p_3_reduces_every_spatial_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 2)
            .Input("x", ElementType.F32, 1, 2, 1, 2)
            .Node("GlobalLpPool", ["x"], ["y"], Int("p", 3))
            .Output("y", ElementType.F32, 1, 2, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, -2f, 0f], 1, 2, 1, 2))[0];

        TensorAssert.Close([1, 2, 1, 1], [Math.Cbrt(9), 2], y);
    }

    /// <summary>
    /// Found by the differential suite: with ceil_mode, ONNX (and ONNX Runtime) drop a last window that would start past the
    /// input and its begin padding; OpenVINO's ceil rounding keeps it (one output too many).
    /// </summary>
    [Theory]
    [InlineData("MaxPool", 1, 0, new[] { 1f, 3f })]
    [InlineData("MaxPool", 2, 1, new[] { 5f, 7f })]
    [InlineData("AveragePool", 1, 0, new[] { 1f, 3f })]
    public void Ceil_mode_drops_a_last_window_that_starts_in_the_end_padding(string op, long kernel, long padEnd, float[] expected)
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("x", ElementType.F32, 1, 1, 4)
            .Node(op, ["x"], ["y"], Ints("kernel_shape", kernel), Ints("strides", 2), Ints("pads", 0, padEnd), Int("ceil_mode", 1))
            .Output("y", ElementType.F32, 1, 1, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 5f, 3f, 7f], 1, 1, 4))[0];

        TensorAssert.Close([1, 1, 2], [.. expected.Select(v => (double)v)], y);
    }

    /// <summary>
    /// Found by the differential suite (eng/differential-run.sh --seed 542429138 --case 5383): with count_include_pad, one
    /// axis drops its last ceil window while the other keeps a window reaching past its end pad. ONNX Runtime counts
    /// neither the overhang nor the dropped window; OpenVINO's AvgPool with ceil rounding would count the overhang and keep
    /// the window.
    /// </summary>
    [Fact]
    public void AveragePool_counting_pads_drops_a_ceil_window_on_one_axis_and_excludes_the_overhang_on_the_other()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("x", ElementType.F32, 1, 1, 3, 3)
            .Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Ints("pads", 0, 0, 0, 2), Int("ceil_mode", 1), Int("count_include_pad", 1))
            .Output("y", ElementType.F32, 1, 1, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], 1, 1, 3, 3))[0];

        // Rows {0,1} and {2} (row 3 is overhang, no pad); columns {0,1} and {2, pad}: (1+2+4+5)/4, (3+6)/4, (7+8)/2, 9/2.
        TensorAssert.Close([1, 1, 2, 2], [3, 2.25, 7.5, 4.5], y);
    }
}
