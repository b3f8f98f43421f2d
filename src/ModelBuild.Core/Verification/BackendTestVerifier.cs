using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>How far a verified model got: the stage that failed, or <see cref="Matched"/>.</summary>
public enum VerificationOutcome
{
    ConversionFailed,
    LoadFailed,
    RunFailed,
    Mismatch,
    Matched,
}

/// <summary>The verdict on one backend-test folder.</summary>
public sealed record VerificationResult(
    string Folder, VerificationOutcome Outcome, int DataSets, double MaxAbsoluteError, double MaxRelativeError, string? Failure)
{
    public string Name => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));

    public bool Passed => Outcome == VerificationOutcome.Matched;
}

/// <summary>Tolerances for comparing computed outputs with expected ones.</summary>
public sealed record Tolerance(double Relative, double Absolute)
{
    /// <summary>rtol 1e-3, atol 1e-5: the comparison the ONNX backend tests use for FP32.</summary>
    public static Tolerance Default { get; } = new(1e-3, 1e-5);
}

/// <summary>
/// Checks a model folder in the ONNX backend-test layout (<c>model.onnx</c> plus
/// <c>test_data_set_*/input_*.pb</c> and <c>output_*.pb</c>): converts the model to IR, loads the IR in
/// a runner (by default: read back and run by the reference evaluator) on every data set, and compares
/// with the expected outputs.
/// </summary>
public static class BackendTestVerifier
{
    public static VerificationResult Verify(string folder, string workFolder, Tolerance tolerance, Func<ConversionRequest, ConversionRequest>? configure = null) =>
        Verify(folder, workFolder, _ => tolerance, configure);

    /// <summary>
    /// Like <see cref="Verify(string, string, Tolerance, Func{ConversionRequest, ConversionRequest})"/>, with a tolerance
    /// chosen after conversion (e.g. by whether weights were compressed), run by <paramref name="runner"/> (default: the reference evaluator).
    /// </summary>
    public static VerificationResult Verify(
        string folder, string workFolder, Func<ConversionResult, Tolerance> toleranceFor, Func<ConversionRequest, ConversionRequest>? configure = null, IIrRunner? runner = null)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var xml = Path.Combine(workFolder, name + ".xml");
        var dataSets = Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        try
        {
            // Verification checks the converter's numbers: weights keep their precision unless the caller asks for FP16.
            var request = new ConversionRequest { InputPath = Path.Combine(folder, "model.onnx"), OutputXmlPath = xml, CompressToFp16 = false };
            Tolerance tolerance;
            try
            {
                tolerance = toleranceFor(ModelConverter.Convert(configure?.Invoke(request) ?? request));
            }
            catch (ModelBuildException error)
            {
                return Failed(VerificationOutcome.ConversionFailed, error.ToString());
            }

            using var session = (runner ?? ReferenceIrRunner.Instance).Load(xml);
            var errors = new ErrorTotals();
            foreach (var dataSet in dataSets)
            {
                var mismatch = RunDataSet(session, dataSet, tolerance, errors);
                if (mismatch is not null)
                {
                    return new VerificationResult(folder, VerificationOutcome.Mismatch, dataSets.Count, errors.Absolute, errors.Relative, $"{Path.GetFileName(dataSet)}: {mismatch}");
                }
            }

            return new VerificationResult(folder, VerificationOutcome.Matched, dataSets.Count, errors.Absolute, errors.Relative, null);
        }
        catch (IrRunException error)
        {
            return Failed(error.Outcome, error.Message);
        }
        catch (Exception error) when (error is InferenceException or NotSupportedException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or InvalidCastException or OverflowException)
        {
            // Internal errors are reported as failures of this model, with the exception type to find the bug.
            return Failed(File.Exists(xml) ? VerificationOutcome.RunFailed : VerificationOutcome.ConversionFailed, $"{error.GetType().Name}: {error.Message}");
        }
        finally
        {
            File.Delete(xml);
            File.Delete(Path.ChangeExtension(xml, ".bin"));
        }

        VerificationResult Failed(VerificationOutcome outcome, string failure) => new(folder, outcome, dataSets.Count, double.NaN, double.NaN, failure);
    }

    /// <summary>Reads a test-data tensor file (a serialized TensorProto).</summary>
    public static Tensor ReadTensor(string path) => BackendTestData.ReadTensor(path).Value;

    // Null when every output matches; else why not. A data set the model cannot take is a mismatch too.
    private static string? RunDataSet(IIrSession session, string dataSet, Tolerance tolerance, ErrorTotals errors)
    {
        var inputs = BackendTestData.ReadNumbered(dataSet, "input");
        var expected = BackendTestData.ReadNumbered(dataSet, "output");
        var arguments = new Tensor[session.Inputs.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var port = session.Inputs[i];
            var match = inputs.FindIndex(t => port.Names.Contains(t.Name));
            var index = match >= 0 ? match : i;
            if (index >= inputs.Count)
            {
                return $"no input value for '{string.Join(",", port.Names)}'";
            }

            arguments[i] = BackendTestData.AsLegacyBfloat16(inputs[index].Value, port.Type);
        }

        var outputs = session.Run(arguments);
        if (outputs.Count != expected.Count)
        {
            return $"the model has {outputs.Count} outputs, the data set expects {expected.Count}";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var index = session.Outputs.ToList().FindIndex(o => o.Names.Contains(expected[i].Name));
            var actual = outputs[index >= 0 ? index : i];
            var comparison = TensorComparison.Compare(actual, BackendTestData.AsLegacyBfloat16(expected[i].Value, actual.Type), tolerance.Relative, tolerance.Absolute);
            errors.Add(comparison);
            if (!comparison.Matches)
            {
                return $"output '{expected[i].Name}': {comparison.Mismatch}";
            }
        }

        return null;
    }

    private sealed class ErrorTotals
    {
        public double Absolute { get; private set; }

        public double Relative { get; private set; }

        public void Add(ComparisonResult comparison)
        {
            if (!double.IsNaN(comparison.MaxAbsoluteError))
            {
                Absolute = Math.Max(Absolute, comparison.MaxAbsoluteError);
                Relative = Math.Max(Relative, comparison.MaxRelativeError);
            }
        }
    }
}
