using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>Det forms beyond the backend tests.</summary>
public sealed class DeterminantTranslatorsTests
{
    [Fact]
    public void Det_of_a_batch_with_a_dynamic_dimension()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .DynamicInput("x", ElementType.F32, -1, 3, 3)
            .Node("Det", ["x"], ["y"])
            .Output("y", ElementType.F32);
        var x = Tensor.FromArray([2f, 0f, 1f, 1f, 3f, 2f, 1f, 1f, 2f, 1f, 0f, 0f, 0f, 0f, 1f, 0f, 1f, 0f], 2, 3, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0];

        // 2·(6 − 2) − 0 + 1·(1 − 3) = 6; the second is a row swap of the identity.
        Assert.Equal([6f, -1f], y.As<float>());
    }

    [Fact]
    public void Det_of_large_matrices_is_reported()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 7, 7)
            .Node("Det", ["x"], ["y"])
            .Output("y", ElementType.F32);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[49], 7, 7)));

        Assert.Contains("7 × 7", error.Message, StringComparison.Ordinal);
    }
}
