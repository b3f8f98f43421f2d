using System.Globalization;
using System.Xml.Linq;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using Xunit;

namespace ModelBuild.Core.Tests.Transforms;

/// <summary>
/// 4-bit constants in the nibble order of the target: ONNX's (first element in the low nibble) for OpenVINO 2023.2 and
/// later, the first element in the high nibble before (what the 2022.2 runtime of ../shared/openvino reads: the
/// generated i4 QDQ models match ONNX Runtime there only so).
/// </summary>
public sealed class SubBytePackingTests
{
    [Theory]
    [InlineData("2022.1", new byte[] { 0x21, 0xE3 })]
    [InlineData("2023.1", new byte[] { 0x21, 0xE3 })]
    [InlineData("2023.2", new byte[] { 0x12, 0x3E })]
    public void Int4_weights_are_written_high_nibble_first_before_2023_2(string release, byte[] expected)
    {
        // [2, 1, -2, 3]: ONNX packs bytes 0x12, 0x3E.
        var onnx = new OnnxGraphBuilder(opset: 21)
            .Input("x", ElementType.F32, 4)
            .Initializer("w", new Tensor(ElementType.I4, [4], new sbyte[] { 2, 1, -2, 3 }))
            .Initializer("scale", Tensor.Scalar(ElementType.F32, 1))
            .Node("DequantizeLinear", ["w", "scale"], ["dq"])
            .Node("Add", ["dq", "x"], ["y"])
            .Output("y", ElementType.F32, 4);
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");

        ModelConverter.Convert(new ConversionRequest
        {
            InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false, Target = OpenVinoReleases.Parse(release),
        });

        var weight = XDocument.Load(xml).Descendants("layer").Single(l => (string?)l.Attribute("type") == "Const" && (string?)l.Element("data")!.Attribute("element_type") == "i4");
        var offset = long.Parse((string)weight.Element("data")!.Attribute("offset")!, CultureInfo.InvariantCulture);
        Assert.Equal(expected, File.ReadAllBytes(folder.File("model.bin")).Skip((int)offset).Take(2));
    }
}
