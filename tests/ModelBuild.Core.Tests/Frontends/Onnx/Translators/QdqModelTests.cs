using System.Globalization;
using System.Xml.Linq;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>
/// Generated QDQ models (Conv, MatMul, Gemm, Add, Concat; per tensor and per axis; 8-, 16- and 4-bit types) convert to
/// the form OpenVINO's low-precision pipeline runs: one FakeQuantize per quantized activation, weights stored as integer
/// constants behind a Convert marked as decompression, and outputs within one quantization step of ONNX Runtime's.
/// </summary>
public sealed class QdqModelTests
{
    public static TheoryData<string> Models() => new(QdqModels.Names());

    [Theory]
    [MemberData(nameof(Models))]
    public void Qdq_model_becomes_FakeQuantize_and_integer_weights_and_computes_ONNX_Runtimes_outputs(string name)
    {
        var model = QdqModels.Create(name);
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = model.Onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false });

        var layers = XDocument.Load(xml).Descendants("layer").ToList();
        string? TypeOf(XElement layer) => (string?)layer.Attribute("type");
        Assert.Equal(model.QuantizedActivations, layers.Count(l => TypeOf(l) == "FakeQuantize"));
        Assert.DoesNotContain(layers, l => TypeOf(l) is "Round" or "Divide");
        if (model.WeightType is { } weightType)
        {
            // The weight is an integer constant; no floating-point constant of its size holds a decompressed copy.
            long Elements(XElement layer) => ((string?)layer.Element("data")!.Attribute("shape"))!
                .Split(',', StringSplitOptions.RemoveEmptyEntries).Aggregate(1L, (count, dim) => count * long.Parse(dim, CultureInfo.InvariantCulture));
            string? ElementType(XElement layer) => (string?)layer.Element("data")!.Attribute("element_type");
            var constants = layers.Where(l => TypeOf(l) == "Const").ToList();
            var weight = constants.Where(l => ElementType(l) == weightType.IrName()).MaxBy(Elements)!;
            Assert.True(Elements(weight) > 4, $"no {weightType.IrName()} weight constant");
            Assert.DoesNotContain(constants, l => ElementType(l) != weightType.IrName() && Elements(l) == Elements(weight));
        }

        using var files = new MappedFileSet();
        var outputs = ReferenceEvaluator.Run(IrReader.Read(xml, files), model.Inputs.Select(i => i.Value).ToArray());
        var comparison = model.CompareWithOnnxRuntime(outputs[0]);
        Assert.True(comparison.Matches, $"{name}: {comparison.Mismatch} (one step is {model.OutputStep})");
    }
}
