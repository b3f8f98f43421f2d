using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using Xunit;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>Converts HugeCTR models to IR — straight, or through an .onnx file — reads the IR back and runs it with the reference evaluator.</summary>
public static class HugeCtrHarness
{
    /// <summary>rtol 1e-5 / atol 1e-6: the acceptance tolerance against ONNX Runtime's outputs.</summary>
    public static Tolerance Tolerance { get; } = new(1e-5, 1e-6);

    /// <summary>HugeCTR → IR in one conversion (the ONNX stays in memory).</summary>
    public static Dictionary<string, Tensor> ConvertAndRun(string graphConfig, HugeCtrOptions options, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = graphConfig, HugeCtr = options, OutputXmlPath = xml, CompressToFp16 = false });
        return RunIr(xml, inputs);
    }

    /// <summary>HugeCTR → .onnx file, then that file → IR like any ONNX model.</summary>
    public static Dictionary<string, Tensor> ConvertThroughOnnxAndRun(string graphConfig, HugeCtrOptions options, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using var folder = new TempFolder();
        var onnx = folder.File("model.onnx");
        var xml = folder.File("model.xml");
        HugeCtrFrontend.WriteOnnx(graphConfig, options, onnx);
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = xml, CompressToFp16 = false });
        return RunIr(xml, inputs);
    }

    /// <summary>Runs an IR on inputs given by name; returns its outputs by tensor name.</summary>
    public static Dictionary<string, Tensor> RunIr(string xml, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using var session = ReferenceIrRunner.Instance.Load(xml);
        return session.RunByName(inputs);
    }

    /// <summary>Asserts every expected output is matched within <see cref="Tolerance"/>; returns the largest errors.</summary>
    public static (double Absolute, double Relative) AssertMatches(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        double absolute = 0, relative = 0;
        foreach (var (name, value) in expected)
        {
            Assert.True(actual.ContainsKey(name), $"no output '{name}'; the model has {string.Join(", ", actual.Keys)}");
            var comparison = TensorComparison.Compare(actual[name], value, Tolerance.Relative, Tolerance.Absolute);
            Assert.True(comparison.Matches, $"output '{name}': {comparison.Mismatch}");
            absolute = Math.Max(absolute, comparison.MaxAbsoluteError);
            relative = Math.Max(relative, comparison.MaxRelativeError);
        }

        return (absolute, relative);
    }
}
