using System.Xml.Linq;
using ModelBuild.Core.Conversion;
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

    [Fact]
    public void A_1D_slope_OpenVINO_could_read_per_channel_is_given_the_datas_rank()
    {
        // Axis 1 and the last axis both have length 3: OpenVINO would apply [3] along axis 1, ONNX along the last axis.
        var (ops, y) = ConvertPRelu([1, 3, 3], [-1f, -2f, -3f, -4f, -5f, -6f, -7f, -8f, -9f], [1f, 10f, 100f]);

        Assert.Equal(["Unsqueeze", "PReLU"], ops);
        Assert.Equal([-1f, -20f, -300f, -4f, -50f, -600f, -7f, -80f, -900f], y);
    }

    [Fact]
    public void A_1D_slope_OpenVINO_broadcasts_NumPy_style_stays_as_it_is()
    {
        // Axis 1 has length 2, the slope 3: OpenVINO broadcasts it from the right, as ONNX does.
        var (ops, y) = ConvertPRelu([1, 2, 3], [-1f, -2f, -3f, 4f, -5f, -6f], [1f, 10f, 100f]);

        Assert.Equal(["PReLU"], ops);
        Assert.Equal([-1f, -20f, -300f, 4f, -50f, -600f], y);
    }

    private static (string[] Ops, float[] Y) ConvertPRelu(long[] shape, float[] x, float[] slope)
    {
        var onnx = new OnnxGraphBuilder(opset: 16)
            .Input("x", ElementType.F32, shape)
            .Input("slope", ElementType.F32, slope.Length)
            .Node("PRelu", ["x", "slope"], ["y"])
            .Output("y", ElementType.F32, shape);
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false });
        var ops = XDocument.Load(xml).Descendants("layer").Select(l => (string)l.Attribute("type")!)
            .Where(t => t is not ("Parameter" or "Const" or "Result")).ToArray();
        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(x, shape), Tensor.FromArray(slope, slope.Length))[0].As<float>();
        return (ops, y);
    }
}
