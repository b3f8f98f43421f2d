using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Verification;

/// <summary>The verdict on one backend-test folder.</summary>
public sealed record VerificationResult(string Folder, bool Passed, int DataSets, double MaxAbsoluteError, double MaxRelativeError, string? Failure)
{
    public string Name => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));
}

/// <summary>Tolerances for comparing computed outputs with expected ones.</summary>
public sealed record Tolerance(double Relative, double Absolute)
{
    /// <summary>rtol 1e-3, atol 1e-5: the comparison the ONNX backend tests use for FP32.</summary>
    public static Tolerance Default { get; } = new(1e-3, 1e-5);
}

/// <summary>
/// Checks a model folder in the ONNX backend-test layout (<c>model.onnx</c> plus
/// <c>test_data_set_*/input_*.pb</c> and <c>output_*.pb</c>): converts the model to IR, reads the IR
/// back, runs it with the reference evaluator on every data set, and compares with the expected outputs.
/// </summary>
public static class BackendTestVerifier
{
    public static VerificationResult Verify(string folder, string workFolder, Tolerance tolerance, Func<ConversionRequest, ConversionRequest>? configure = null) =>
        Verify(folder, workFolder, _ => tolerance, configure);

    /// <summary>Like <see cref="Verify(string, string, Tolerance, Func{ConversionRequest, ConversionRequest})"/>, with a tolerance chosen after conversion (e.g. by whether weights were compressed).</summary>
    public static VerificationResult Verify(string folder, string workFolder, Func<ConversionResult, Tolerance> toleranceFor, Func<ConversionRequest, ConversionRequest>? configure = null)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var xml = Path.Combine(workFolder, name + ".xml");
        try
        {
            // Verification checks the converter's numbers: weights keep their precision unless the caller asks for FP16.
            var request = new ConversionRequest { InputPath = Path.Combine(folder, "model.onnx"), OutputXmlPath = xml, CompressToFp16 = false };
            var tolerance = toleranceFor(ModelConverter.Convert(configure?.Invoke(request) ?? request));
            using var files = new MappedFileSet();
            var model = IrReader.Read(xml, files);
            var dataSets = Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
            double maxAbsolute = 0;
            double maxRelative = 0;
            foreach (var dataSet in dataSets)
            {
                var failure = RunDataSet(model, dataSet, tolerance, ref maxAbsolute, ref maxRelative);
                if (failure is not null)
                {
                    return new VerificationResult(folder, false, dataSets.Count, maxAbsolute, maxRelative, $"{Path.GetFileName(dataSet)}: {failure}");
                }
            }

            return new VerificationResult(folder, true, dataSets.Count, maxAbsolute, maxRelative, null);
        }
        catch (ModelBuildException error)
        {
            return new VerificationResult(folder, false, 0, double.NaN, double.NaN, error.ToString());
        }
        catch (Exception error) when (error is InferenceException or NotSupportedException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or InvalidCastException or OverflowException)
        {
            // Internal errors are reported as failures of this model, with the exception type to find the bug.
            return new VerificationResult(folder, false, 0, double.NaN, double.NaN, $"{error.GetType().Name}: {error.Message}");
        }
        finally
        {
            File.Delete(xml);
            File.Delete(Path.ChangeExtension(xml, ".bin"));
        }
    }

    /// <summary>Reads a test-data tensor file (a serialized TensorProto).</summary>
    public static Tensor ReadTensor(string path) => OnnxTensors.ToTensor(OnnxModelReader.ParseFile(path, TensorProto.Parser));

    private static string? RunDataSet(Model model, string dataSet, Tolerance tolerance, ref double maxAbsolute, ref double maxRelative)
    {
        var inputs = ReadNumbered(dataSet, "input");
        var expected = ReadNumbered(dataSet, "output");
        var arguments = new Tensor[model.Parameters.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = model.Parameters[i];
            var match = inputs.FindIndex(t => t.Name == parameter.Name);
            var index = match >= 0 ? match : i;
            if (index >= inputs.Count)
            {
                return $"no input value for '{parameter.Name}'";
            }

            arguments[i] = AsLegacyBfloat16(inputs[index].Value, parameter.Outputs[0].Type);
        }

        var outputs = ReferenceEvaluator.Run(model, arguments);
        if (outputs.Count != expected.Count)
        {
            return $"the model has {outputs.Count} outputs, the data set expects {expected.Count}";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var index = model.Results.FindIndex(r => r.Input(0).Names.Contains(expected[i].Name));
            var actual = outputs[index >= 0 ? index : i];
            var comparison = TensorComparison.Compare(actual, AsLegacyBfloat16(expected[i].Value, actual.Type), tolerance.Relative, tolerance.Absolute);
            if (!double.IsNaN(comparison.MaxAbsoluteError))
            {
                maxAbsolute = Math.Max(maxAbsolute, comparison.MaxAbsoluteError);
                maxRelative = Math.Max(maxRelative, comparison.MaxRelativeError);
            }

            if (!comparison.Matches)
            {
                return $"output '{expected[i].Name}': {comparison.Mismatch}";
            }
        }

        return null;
    }

    // ONNX 1.12 wrote bfloat16 test data as uint16 tensors holding the bits (NumPy has no bfloat16).
    private static Tensor AsLegacyBfloat16(Tensor value, ElementType wanted) =>
        wanted == ElementType.BF16 && value.Type == ElementType.U16
            ? new Tensor(ElementType.BF16, value.Shape, Array.ConvertAll(value.As<ushort>(), bits => new BFloat16(bits)))
            : value;

    private static List<(string Name, Tensor Value)> ReadNumbered(string dataSet, string prefix)
    {
        var list = new List<(string, Tensor)>();
        for (var i = 0; File.Exists(Path.Combine(dataSet, $"{prefix}_{i}.pb")); i++)
        {
            var proto = OnnxModelReader.ParseFile(Path.Combine(dataSet, $"{prefix}_{i}.pb"), TensorProto.Parser);
            list.Add((proto.Name, OnnxTensors.ToTensor(proto)));
        }

        return list;
    }
}
