using ModelBuild.Core.Conversion;
using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// The generated QDQ models (Conv, MatMul, Gemm, Add, Concat; per tensor and per axis; 8-, 16- and 4-bit types),
/// converted for the runtime's release, loaded and run in the real OpenVINO runtime: outputs within one quantization
/// step of ONNX Runtime's.
/// </summary>
public sealed class QdqModelTests
{
    public static TheoryData<string> Models() => new(QdqModels.Names());

    [Theory]
    [MemberData(nameof(Models))]
    public void Qdq_model_computes_ONNX_Runtimes_outputs_in_OpenVINO(string name)
    {
        var model = QdqModels.Create(name);
        using var work = new TempFolder();
        var xml = work.File("model.xml");
        ModelConverter.Convert(new ConversionRequest
        {
            InputPath = model.Onnx.Save(work.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false, Target = RuntimeRun.Target,
        });

        using var session = OpenVinoRuntime.Instance.Load(xml);
        var outputs = session.Run(model.Inputs.Select(i => i.Value).ToList());

        var comparison = model.CompareWithOnnxRuntime(outputs[0]);
        Assert.True(comparison.Matches, $"{name}: {comparison.Mismatch} (one step is {model.OutputStep})");
    }
}
