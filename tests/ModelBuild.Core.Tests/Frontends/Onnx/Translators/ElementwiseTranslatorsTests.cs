using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class ElementwiseTranslatorsTests
{
    [Fact]
    public void Integer_division_truncates_toward_zero_like_onnx_runtime()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("a", ElementType.I32, 4).Input("b", ElementType.I32, 4)
            .Node("Div", ["a", "b"], ["y"])
            .Output("y", ElementType.I32, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([-7, 7, -7, 7], 4), Tensor.FromArray([2, 2, -2, -2], 4))[0];

        Assert.Equal([-3, 3, 3, -3], y.As<int>());
    }

    [Fact]
    public void Unsigned_arithmetic_wraps_around()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("a", ElementType.U8, 2).Input("b", ElementType.U8, 2)
            .Node("Add", ["a", "b"], ["y"])
            .Output("y", ElementType.U8, 2);
        var a = new Tensor(ElementType.U8, [2], new byte[] { 250, 3 });
        var b = new Tensor(ElementType.U8, [2], new byte[] { 10, 4 });

        var y = ConversionHarness.ConvertAndRun(onnx, a, b)[0];

        Assert.Equal(new byte[] { 4, 7 }, y.As<byte>());
    }

    [Fact]
    public void Legacy_broadcast_with_axis_aligns_the_second_input_at_the_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 6)
            .Input("a", ElementType.F32, 2, 3, 2).Input("b", ElementType.F32, 3)
            .Node("Add", ["a", "b"], ["y"], OnnxGraphBuilder.Int("broadcast", 1), OnnxGraphBuilder.Int("axis", 1))
            .Output("y", ElementType.F32, 2, 3, 2);
        var a = Tensor.FromArray(new float[12], 2, 3, 2);
        var b = Tensor.FromArray([1f, 2f, 3f], 3);

        var y = ConversionHarness.ConvertAndRun(onnx, a, b)[0];

        Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f, 1f, 1f, 2f, 2f, 3f, 3f], y.As<float>());
    }

    [Theory]
    [InlineData(-1L << 40)]
    [InlineData(4L)]
    public void Legacy_broadcast_axis_outside_the_first_input_is_an_error_naming_the_node(long axis)
    {
        // Fuzz finding: an axis far below -rank made the translator ask for an array of 2^40 axes.
        var onnx = new OnnxGraphBuilder(opset: 6)
            .Input("a", ElementType.F32, 2, 3, 2).Input("b", ElementType.F32, 3)
            .Node("Add", ["a", "b"], ["y"], OnnxGraphBuilder.Int("broadcast", 1), OnnxGraphBuilder.Int("axis", axis))
            .Output("y", ElementType.F32, 2, 3, 2);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[12], 2, 3, 2), Tensor.FromArray(new float[3], 3)));

        Assert.Equal(DiagnosticCode.TranslationFailed, error.Code);
        Assert.Contains("outside the first input", error.Message);
    }

    [Fact]
    public void Arithmetic_on_shape_vectors_folds_element_by_element_and_broadcasts_scalars()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2, 3).Input("y", ElementType.F32, 4, 5)
            .Initializer("two", Tensor.FromArray([2L], []))
            .Node("Shape", ["x"], ["x_shape"]).Node("Shape", ["y"], ["y_shape"])
            .Node("Add", ["x_shape", "y_shape"], ["sum"])
            .Node("Mul", ["two", "y_shape"], ["doubled"])
            .Output("sum", ElementType.I64, 2).Output("doubled", ElementType.I64, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.Zeros(ElementType.F32, 2, 3), Tensor.Zeros(ElementType.F32, 4, 5));

        Assert.Equal([6L, 8L], outputs[0].As<long>());
        Assert.Equal([8L, 10L], outputs[1].As<long>());
    }
}
