using System.Xml.Linq;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Transforms;

public sealed class Fp16CompressionTests
{
    [Fact]
    public void Weights_become_f16_constants_with_a_marked_decompressing_convert()
    {
        using var folder = new TempFolder();
        var xml = Convert(folder, WeightedModel([1.5f, -2.25f, 3f, 0.5f]), compress: true);

        var layers = XDocument.Load(xml).Descendants("layer").ToList();
        var weight = layers.Single(l => (string?)l.Attribute("name") == "w_compressed");
        Assert.Equal("Const", (string?)weight.Attribute("type"));
        Assert.Equal("f16", (string?)weight.Element("data")!.Attribute("element_type"));
        Assert.Equal("8", (string?)weight.Element("data")!.Attribute("size"));
        var convert = layers.Single(l => (string?)l.Attribute("name") == "w");
        Assert.Equal("Convert", (string?)convert.Attribute("type"));
        Assert.Equal("f32", (string?)convert.Element("data")!.Attribute("destination_type"));
        Assert.Equal("decompression", (string?)convert.Element("rt_info")!.Element("attribute")!.Attribute("name"));
    }

    [Fact]
    public void Values_beyond_the_f16_range_clamp_to_65504()
    {
        using var folder = new TempFolder();
        var xml = Convert(folder, WeightedModel([1e6f, -70000f, 1f, 2f]), compress: true);

        var y = Run(xml, Tensor.FromArray(new float[4], 4));

        Assert.Equal([65504f, -65504f, 1f, 2f], y.As<float>());
    }

    [Fact]
    public void Constants_mostly_out_of_range_stay_f32()
    {
        using var folder = new TempFolder();
        var xml = Convert(folder, WeightedModel([1e-30f, 1e-30f, 1e-30f, 1f]), compress: true);

        var weight = XDocument.Load(xml).Descendants("layer").Single(l => (string?)l.Attribute("name") == "w");
        Assert.Equal("Const", (string?)weight.Attribute("type"));
        Assert.Equal("f32", (string?)weight.Element("data")!.Attribute("element_type"));
    }

    [Fact]
    public void A_withdrawn_constant_leaves_only_its_original_bytes_in_the_bin()
    {
        using var folder = new TempFolder();
        float[] mostlyTiny = [1e-30f, 1e-30f, 1e-30f, 1f];
        float[] plain = [1f, 2f, 3f, 4f];
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 4)
            .Initializer("w", Tensor.FromArray(mostlyTiny, 4))
            .Initializer("v", Tensor.FromArray(plain, 4))
            .Node("Add", ["x", "w"], ["t"])
            .Node("Add", ["t", "v"], ["y"])
            .Output("y", ElementType.F32, 4);

        var xml = Convert(folder, onnx, compress: true);

        // w's 16 f32 bytes and v's 8 f16 bytes: the f16 bytes first written for w were taken back.
        Assert.Equal(24, new FileInfo(Path.ChangeExtension(xml, ".bin")).Length);
        var layers = XDocument.Load(xml).Descendants("layer").ToList();
        Assert.Equal("f32", (string?)layers.Single(l => (string?)l.Attribute("name") == "w").Element("data")!.Attribute("element_type"));
        Assert.Equal("f16", (string?)layers.Single(l => (string?)l.Attribute("name") == "v_compressed").Element("data")!.Attribute("element_type"));
        Assert.Equal([2f, 3f, 4f, 6f], Run(xml, Tensor.FromArray([1f, 1f, 1f, 1f], 4)).As<float>());
    }

    [Fact]
    public void Without_compression_weights_keep_their_precision()
    {
        using var folder = new TempFolder();
        var weights = new[] { 0.1f, 1e-7f, 123456.7f, -3f };
        var xml = Convert(folder, WeightedModel(weights), compress: false);

        Assert.Equal(weights, Run(xml, Tensor.FromArray(new float[4], 4)).As<float>());
    }

    [Fact]
    public void Compressed_values_round_to_the_nearest_half()
    {
        using var folder = new TempFolder();
        float[] weights = [0.1f, 1e-7f, 3.14159f, -2048.7f];
        var xml = Convert(folder, WeightedModel(weights), compress: true);

        var expected = weights.Select(w => (float)(Half)w).ToArray();
        Assert.Equal(expected, Run(xml, Tensor.FromArray(new float[4], 4)).As<float>());
    }

    [Fact]
    public void In_range_weights_convert_exactly_like_the_clamping_path()
    {
        using var folder = new TempFolder();
        float[] weights = [0.1f, -3.75f, 65504f, -65504f, 1e-5f, 0f, 12345.678f, -0.333f];
        var xml = Convert(folder, WeightedModel(weights), compress: true);

        var expected = weights.Select(w => (float)(Half)w).ToArray();
        Assert.Equal(expected, Run(xml, Tensor.FromArray(new float[8], 8)).As<float>());
    }

    private static OnnxGraphBuilder WeightedModel(float[] weights) =>
        new OnnxGraphBuilder()
            .Input("x", ElementType.F32, weights.Length)
            .Initializer("w", Tensor.FromArray(weights, weights.Length))
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", ElementType.F32, weights.Length);

    private static string Convert(TempFolder folder, OnnxGraphBuilder onnx, bool compress)
    {
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = compress });
        return xml;
    }

    private static Tensor Run(string xml, params Tensor[] inputs)
    {
        using var files = new MappedFileSet();
        return ReferenceEvaluator.Run(IrReader.Read(xml, files), inputs)[0];
    }
}
