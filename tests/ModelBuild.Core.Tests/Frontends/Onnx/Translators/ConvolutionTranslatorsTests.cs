using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class ConvolutionTranslatorsTests
{
    [Fact]
    public void Conv_with_dynamic_batch_and_length_pads_and_evaluates_per_sequence()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .DynamicInput("x", ElementType.F32, -1, 1, -1)
            .Initializer("w", Tensor.FromArray([1f, 2f, 3f], 1, 1, 3))
            .Node("Conv", ["x", "w"], ["y"], Ints("pads", 1, 1))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 1, 4))[0];

        // Cross-correlation with a zero on each side: y[o] = x[o−1]·1 + x[o]·2 + x[o+1]·3.
        TensorAssert.Close([2, 1, 4], [8, 14, 20, 11, 28, 38, 44, 23], y);
    }

    [Fact]
    public void Conv_same_upper_with_stride_keeps_ceil_of_length_over_stride()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .DynamicInput("x", ElementType.F32, 1, 1, -1)
            .Initializer("w", Tensor.FromArray([1f, 1f], 1, 1, 2))
            .Node("Conv", ["x", "w"], ["y"], String("auto_pad", "SAME_UPPER"), Ints("strides", 2))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 1, 1, 5))[0];

        // ceil(5/2) = 3 outputs; total padding (3−1)·2 + 2 − 5 = 1 goes at the end.
        TensorAssert.Close([1, 1, 3], [3, 7, 5], y);
    }

    [Fact]
    public void Grouped_ConvTranspose_keeps_groups_apart_and_adds_bias()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 2, 3)
            .Initializer("w", Tensor.FromArray([1f, 1f, 1f, -1f], 2, 1, 2))
            .Initializer("b", Tensor.FromArray([10f, 20f], 2))
            .Node("ConvTranspose", ["x", "w", "b"], ["y"], Int("group", 2))
            .Output("y", ElementType.F32, 1, 2, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 1, 2, 3))[0];

        // Channel 0: [1,2,3] spread by [1,1] → [1,3,5,3]; channel 1: [4,5,6] by [1,−1] → [4,1,1,−6].
        TensorAssert.Close([1, 2, 4], [11, 13, 15, 13, 24, 21, 21, 14], y);
    }

    [Theory]
    [InlineData(3, "NOTSET", new[] { 3f, 6f, 5f })]
    [InlineData(4, "NOTSET", new[] { 3f, 6f, 5f, 3f })]
    [InlineData(4, "SAME_UPPER", new[] { 1f, 3f, 6f, 5f })]
    [InlineData(4, "SAME_LOWER", new[] { 3f, 6f, 5f, 3f })]
    public void ConvTranspose_output_shape_crops_the_full_result_as_onnx_distributes_the_padding(long length, string autoPad, float[] expected)
    {
        // The full transposed convolution of [1,2,3] with [1,1,1] is [1,3,6,5,3]; an odd total padding
        // goes to the beginning except for SAME_UPPER.
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 1, 3)
            .Initializer("w", Tensor.FromArray([1f, 1f, 1f], 1, 1, 3))
            .Node("ConvTranspose", ["x", "w"], ["y"], Ints("output_shape", length), String("auto_pad", autoPad))
            .Output("y", ElementType.F32, 1, 1, length);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 1, 1, 3))[0];

        TensorAssert.Close([1, 1, length], Array.ConvertAll(expected, v => (double)v), y);
    }

    [Theory]
    [InlineData("SAME_UPPER", new[] { 1f, 1f, 3f, 2f, 5f, 3f })]
    [InlineData("SAME_LOWER", new[] { 1f, 3f, 2f, 5f, 3f, 3f })]
    public void ConvTranspose_same_padding_outputs_input_times_stride(string autoPad, float[] expected)
    {
        // Full result with stride 2 and kernel [1,1,1]: [1,1,3,2,5,3,3]; SAME trims one element.
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 1, 3)
            .Initializer("w", Tensor.FromArray([1f, 1f, 1f], 1, 1, 3))
            .Node("ConvTranspose", ["x", "w"], ["y"], Ints("strides", 2), String("auto_pad", autoPad))
            .Output("y", ElementType.F32, 1, 1, 6);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 1, 1, 3))[0];

        TensorAssert.Close([1, 1, 6], Array.ConvertAll(expected, v => (double)v), y);
    }

    [Fact]
    public void ConvInteger_subtracts_a_per_output_channel_filter_zero_point()
    {
        var onnx = new OnnxGraphBuilder(opset: 10)
            .Input("x", ElementType.U8, 1, 1, 3)
            .Initializer("w", new Tensor(ElementType.U8, [2, 1, 2], new byte[] { 2, 3, 5, 5 }))
            .Initializer("x_zero", new Tensor(ElementType.U8, [], new byte[] { 1 }))
            .Initializer("w_zero", new Tensor(ElementType.U8, [2], new byte[] { 1, 5 }))
            .Node("ConvInteger", ["x", "w", "x_zero", "w_zero"], ["y"])
            .Output("y", ElementType.I32, 1, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, new Tensor(ElementType.U8, [1, 1, 3], new byte[] { 1, 2, 3 }))[0];

        // x − 1 = [0,1,2]; filters − [1; 5] = [1,2] and [0,0].
        Assert.Equal(ElementType.I32, y.Type);
        Assert.Equal([2, 5, 0, 0], y.As<int>());
    }

    [Fact]
    public void Conv_with_filter_channels_that_do_not_match_the_data_names_the_node()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 3, 5)
            .Initializer("w", Tensor.FromArray(new float[4], 1, 2, 2))
            .Node("Conv", ["x", "w"], ["y"])
            .Output("y", ElementType.F32);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[15], 1, 3, 5)));

        Assert.Equal(DiagnosticCode.ShapeInferenceFailed, error.Code);
        Assert.Contains("input channels", error.Message, StringComparison.Ordinal);
    }
}
