using System.Xml.Linq;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>QuantizeLinear/DequantizeLinear forms beyond the backend tests: ties, per-axis, blocks, other types, weight patterns.</summary>
public sealed class QuantizationTranslatorsTests
{
    [Fact]
    public void Ties_with_an_odd_zero_point_round_as_FakeQuantize_does_within_one_step_of_ONNX()
    {
        var onnx = QuantizeModel(opset: 13, ElementType.U8, Tensor.Scalar(ElementType.F32, 2), new Tensor(ElementType.U8, [], new byte[] { 3 }), 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 5f], 3))[0];

        // ONNX rounds x / 2 = 0.5, 1.5, 2.5 to even (0, 2, 2) and adds 3: 3, 5, 5. FakeQuantize's input range starts at
        // 2 · (0 − 3) = −6 and rounds (x + 6) / 2 = 3.5, 4.5, 5.5 to even: 4, 4, 6, one step away on each tie.
        Assert.Equal(new byte[] { 4, 4, 6 }, y.As<byte>());
        Assert.All(y.As<byte>().Zip(new byte[] { 3, 5, 5 }), pair => Assert.Equal(1, Math.Abs(pair.First - pair.Second)));
    }

    [Fact]
    public void Per_axis_parameters_follow_a_negative_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 2)
            .Initializer("scale", Tensor.FromArray([1f, 2f], 2))
            .Initializer("zero", new Tensor(ElementType.U8, [2], new byte[] { 0, 10 }))
            .Node("QuantizeLinear", ["x", "scale", "zero"], ["y"], Int("axis", -1))
            .Output("y", ElementType.U8, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2))[0];

        Assert.Equal(new byte[] { 1, 11, 3, 12 }, y.As<byte>());
    }

    [Fact]
    public void Quantization_saturates_to_the_target_range()
    {
        var onnx = QuantizeModel(opset: 13, ElementType.I8, Tensor.Scalar(ElementType.F32, 1), new Tensor(ElementType.I8, [], new sbyte[] { 0 }), 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-1000f, 1000f, 2.5f], 3))[0];

        Assert.Equal(new sbyte[] { -128, 127, 2 }, y.As<sbyte>());
    }

    [Fact]
    public void Int4_quantization_clamps_to_minus_8_and_7()
    {
        var onnx = QuantizeModel(opset: 21, ElementType.I4, Tensor.Scalar(ElementType.F32, 1), new Tensor(ElementType.I4, [], new sbyte[] { 0 }), 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-20f, 20f, 3f], 3))[0];

        Assert.Equal(ElementType.I4, y.Type);
        Assert.Equal(new sbyte[] { -8, 7, 3 }, y.As<sbyte>());
    }

    [Fact]
    public void Opset_21_output_dtype_chooses_the_type_without_a_zero_point()
    {
        var onnx = new OnnxGraphBuilder(opset: 21)
            .Input("x", ElementType.F32, 2)
            .Initializer("scale", Tensor.Scalar(ElementType.F32, 1))
            .Node("QuantizeLinear", ["x", "scale"], ["y"], Int("output_dtype", 3))
            .Output("y", ElementType.I8, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-3f, 4f], 2))[0];

        Assert.Equal(new sbyte[] { -3, 4 }, y.As<sbyte>());
    }

    [Fact]
    public void Blocked_quantization_repeats_each_scale_over_its_block()
    {
        var onnx = new OnnxGraphBuilder(opset: 21)
            .Input("x", ElementType.F32, 1, 4)
            .Initializer("scale", Tensor.FromArray([1f, 2f], 1, 2))
            .Node("QuantizeLinear", ["x", "scale"], ["y"], Int("axis", 1), Int("block_size", 2))
            .Output("y", ElementType.U8, 1, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4))[0];

        // 1/1, 2/1, 3/2 = 1.5 → 2, 4/2.
        Assert.Equal(new byte[] { 1, 2, 2, 2 }, y.As<byte>());
    }

    [Fact]
    public void Constant_weights_keep_the_convert_subtract_multiply_pattern()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 3)
            .Initializer("w", new Tensor(ElementType.U8, [3], new byte[] { 0, 128, 255 }))
            .Initializer("scale", Tensor.Scalar(ElementType.F32, 0.5))
            .Initializer("zero", new Tensor(ElementType.U8, [], new byte[] { 128 }))
            .Node("DequantizeLinear", ["w", "scale", "zero"], ["dq"])
            .Node("Add", ["dq", "x"], ["y"])
            .Output("y", ElementType.F32, 3);

        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[3], 3))[0];

        var types = XDocument.Load(xml).Descendants("layer").Select(l => (string?)l.Attribute("type")).ToList();
        Assert.Contains("Convert", types);
        Assert.Contains("Subtract", types);
        Assert.Contains("Multiply", types);
        Assert.Equal([-64f, 0f, 63.5f], y.As<float>());
    }

    [Fact]
    public void Dequantizing_int32_needs_no_zero_point()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.I32, 2)
            .Initializer("scale", Tensor.Scalar(ElementType.F32, 0.25))
            .Node("DequantizeLinear", ["x", "scale"], ["y"])
            .Output("y", ElementType.F32, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-8, 6], 2))[0];

        Assert.Equal([-2f, 1.5f], y.As<float>());
    }

    [Fact]
    public void QLinearMatMul_dequantizes_a_per_row()
    {
        var onnx = new OnnxGraphBuilder(opset: 10)
            .Input("a", ElementType.U8, 2, 2)
            .Initializer("a_scale", Tensor.FromArray([0.5f, 1f], 2))
            .Initializer("a_zero", new Tensor(ElementType.U8, [], new byte[] { 0 }))
            .Initializer("b", new Tensor(ElementType.U8, [2, 1], new byte[] { 1, 1 }))
            .Initializer("b_scale", Tensor.Scalar(ElementType.F32, 1))
            .Initializer("b_zero", new Tensor(ElementType.U8, [], new byte[] { 0 }))
            .Initializer("y_scale", Tensor.Scalar(ElementType.F32, 1))
            .Initializer("y_zero", new Tensor(ElementType.U8, [], new byte[] { 0 }))
            .Node("QLinearMatMul", ["a", "a_scale", "a_zero", "b", "b_scale", "b_zero", "y_scale", "y_zero"], ["y"])
            .Output("y", ElementType.U8, 2, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, new Tensor(ElementType.U8, [2, 2], new byte[] { 2, 4, 6, 8 }))[0];

        // Rows scaled by 0.5 and 1: [1, 2] and [6, 8], each summed.
        Assert.Equal(new byte[] { 3, 14 }, y.As<byte>());
    }

    [Fact]
    public void QLinearConv_scales_filters_and_bias_per_output_channel()
    {
        var onnx = new OnnxGraphBuilder(opset: 10)
            .Input("x", ElementType.U8, 1, 1, 2, 2)
            .Initializer("x_scale", Tensor.Scalar(ElementType.F32, 0.5))
            .Initializer("x_zero", new Tensor(ElementType.U8, [], new byte[] { 0 }))
            .Initializer("w", new Tensor(ElementType.U8, [2, 1, 1, 1], new byte[] { 1, 2 }))
            .Initializer("w_scale", Tensor.FromArray([1f, 0.5f], 2))
            .Initializer("w_zero", new Tensor(ElementType.U8, [2], new byte[] { 0, 0 }))
            .Initializer("y_scale", Tensor.Scalar(ElementType.F32, 1))
            .Initializer("y_zero", new Tensor(ElementType.U8, [], new byte[] { 0 }))
            .Initializer("bias", Tensor.FromArray([10, 20], 2))
            .Node("QLinearConv", ["x", "x_scale", "x_zero", "w", "w_scale", "w_zero", "y_scale", "y_zero", "bias"], ["y"])
            .Output("y", ElementType.U8, 1, 2, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, new Tensor(ElementType.U8, [1, 1, 2, 2], new byte[] { 2, 4, 6, 8 }))[0];

        // x is [1, 2, 3, 4]; both filters dequantize to 1; biases 10 · 0.5 · 1 and 20 · 0.5 · 0.5 are both 5.
        Assert.Equal(new byte[] { 6, 7, 8, 9, 6, 7, 8, 9 }, y.As<byte>());
    }

    [Fact]
    public void Float8_quantization_is_reported_as_unsupported()
    {
        var onnx = new OnnxGraphBuilder(opset: 19)
            .Input("x", ElementType.F32, 2)
            .Initializer("scale", Tensor.Scalar(ElementType.F32, 1))
            .Initializer("zero", new Tensor(ElementType.F8E4M3, [], new byte[] { 0 }))
            .Node("QuantizeLinear", ["x", "scale", "zero"], ["y"])
            .Output("y", ElementType.F8E4M3, 2);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 2)));

        Assert.Contains("f8e4m3", error.Message, StringComparison.Ordinal);
    }

    private static OnnxGraphBuilder QuantizeModel(long opset, ElementType type, Tensor scale, Tensor zeroPoint, long length) =>
        new OnnxGraphBuilder(opset)
            .Input("x", ElementType.F32, length)
            .Initializer("scale", scale)
            .Initializer("zero", zeroPoint)
            .Node("QuantizeLinear", ["x", "scale", "zero"], ["y"])
            .Output("y", type, length);
}
