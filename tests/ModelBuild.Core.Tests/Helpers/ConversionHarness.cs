using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>Converts a generated ONNX model to IR, reads the IR back and runs it: the path every test model takes.</summary>
public static class ConversionHarness
{
    public static IReadOnlyList<Tensor> ConvertAndRun(OnnxGraphBuilder onnx, params Tensor[] inputs) => ConvertAndRunWithOps(onnx, inputs).Outputs;

    /// <summary>Like <see cref="ConvertAndRun"/>, also giving the op types of the IR's main graph as read back.</summary>
    public static (IReadOnlyList<string> OpTypes, IReadOnlyList<Tensor> Outputs) ConvertAndRunWithOps(OnnxGraphBuilder onnx, params Tensor[] inputs)
    {
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        // Weights keep their precision here; FP16 compression has its own tests.
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false });
        using var files = new MappedFileSet();
        var model = IrReader.Read(xml, files);
        return (model.OrderedNodes().Select(node => node.Type).ToList(), ReferenceEvaluator.Run(model, inputs));
    }

    /// <summary>Converts model bytes that must fail: returns the error, after checking that nothing but the model is left behind.</summary>
    public static ModelBuildException ConvertExpectingFailure(byte[] model)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("model.onnx"), model);
        var error = Assert.Throws<ModelBuildException>(() =>
            ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("model.onnx"), OutputXmlPath = folder.File("model.xml") }));
        Assert.Equal(["model.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        return error;
    }
}
