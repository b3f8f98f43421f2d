using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>Activation forms the ONNX backend tests do not reach.</summary>
public sealed class ActivationTranslatorsTests
{
    /// <summary>Found by the differential suite: the one-element slope made a scalar input fail to convert (MB2002).</summary>
    [Fact]
    public void LeakyRelu_on_a_scalar_gives_a_scalar()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32)
            .Node("LeakyRelu", ["x"], ["y"], OnnxGraphBuilder.Float("alpha", 0.5f))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromDoubles(ElementType.F32, [-3], []))[0];

        Assert.Empty(y.Shape);
        Assert.Equal([-1.5f], y.As<float>());
    }
}
