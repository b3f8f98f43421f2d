using ModelBuild.Core.Verification;

namespace ModelBuild.Conformance.Tests.Helpers;

/// <summary>
/// The checked-in list of backend tests ModelBuild does not pass yet, each with its reason, and the
/// tolerances that differ from the default. One entry per line:
/// <c>suite/test  fail  reason</c> (fails in both precisions),
/// <c>suite/test  fp16-fail  reason</c> (fails only with FP16 weights),
/// <c>suite/test  tolerance  rtol  atol  reason</c> (FP32 tolerance of one test),
/// <c>*  fp16-tolerance  rtol  atol  reason</c> (the tolerance of every FP16 comparison).
/// </summary>
public sealed class Expectations
{
    public const string FileName = "conformance-expectations.txt";

    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fp16Failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tolerance> _tolerances = new(StringComparer.Ordinal);

    private Expectations(string path)
    {
        foreach (var entry in ExpectationsFile.Read(path))
        {
            switch (entry.Kind)
            {
                case "fail":
                    _failures.Add(entry.Key, entry.Text);
                    break;
                case "fp16-fail":
                    _fp16Failures.Add(entry.Key, entry.Text);
                    break;
                case "tolerance":
                    _tolerances.Add(entry.Key, ExpectationsFile.ParseTolerance(entry));
                    break;
                case "fp16-tolerance" when entry.Key == "*":
                    Fp16Tolerance = ExpectationsFile.ParseTolerance(entry);
                    break;
                default:
                    throw new FormatException($"{FileName}: unknown kind '{entry.Kind}' in '{entry.Line}'.");
            }
        }
    }

    public static Expectations Instance { get; } = new(Path.Combine(AppContext.BaseDirectory, FileName));

    /// <summary>The tolerance of FP16 comparisons: FP16 weights carry 11 significant bits.</summary>
    public Tolerance Fp16Tolerance { get; private set; } = Tolerance.Default;

    /// <summary>Every listed test, by precision: the ones failing in both, plus the FP16-only ones for FP16.</summary>
    public IEnumerable<string> Listed(Precision precision) =>
        precision == Precision.Fp32 ? _failures.Keys : _failures.Keys.Concat(_fp16Failures.Keys);

    public string? ExpectedFailure(Precision precision, string key) =>
        _failures.GetValueOrDefault(key) ?? (precision == Precision.Fp16 ? _fp16Failures.GetValueOrDefault(key) : null);

    public Tolerance ToleranceFor(Precision precision, string key) =>
        precision == Precision.Fp16 ? Fp16Tolerance : _tolerances.GetValueOrDefault(key) ?? Tolerance.Default;
}
