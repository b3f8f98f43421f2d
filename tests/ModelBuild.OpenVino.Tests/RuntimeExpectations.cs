using ModelBuild.Core.Verification;
using ModelBuild.Testing;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// The checked-in list of node tests that do not match in the real runtime, each with the stage it stops at and
/// the reason. One entry per line, <c>suite/test  kind  reason</c>, kinds
/// <c>convert-fail</c>, <c>load-fail</c>, <c>run-fail</c>, <c>mismatch</c> (with FP32 and FP16 weights) and the same
/// with an <c>fp32-</c> or <c>fp16-</c> prefix (only with those weights). A test that stops at another stage than listed,
/// or matches, fails.
/// </summary>
public sealed class RuntimeExpectations
{
    public const string FileName = "openvino-expectations.txt";

    private static readonly Dictionary<string, VerificationOutcome> Kinds = new(StringComparer.Ordinal)
    {
        ["convert-fail"] = VerificationOutcome.ConversionFailed,
        ["load-fail"] = VerificationOutcome.LoadFailed,
        ["run-fail"] = VerificationOutcome.RunFailed,
        ["mismatch"] = VerificationOutcome.Mismatch,
    };

    // By precision; a kind without a precision prefix lists the test in both.
    private readonly Dictionary<Precision, Dictionary<string, ExpectedFailure>> _failures =
        Enum.GetValues<Precision>().ToDictionary(p => p, _ => new Dictionary<string, ExpectedFailure>(StringComparer.Ordinal));

    private RuntimeExpectations(string path)
    {
        foreach (var entry in ExpectationsFile.Read(path))
        {
            var only = Enum.GetValues<Precision>().Where(p => entry.Kind.StartsWith(Prefix(p), StringComparison.Ordinal)).ToList();
            var kind = only.Count == 1 ? entry.Kind[Prefix(only[0]).Length..] : entry.Kind;
            var outcome = Kinds.TryGetValue(kind, out var known) ? known : throw new FormatException($"{FileName}: unknown kind '{entry.Kind}' in '{entry.Line}'.");
            foreach (var precision in only.Count == 1 ? only : [.. Enum.GetValues<Precision>()])
            {
                _failures[precision].Add(entry.Key, new ExpectedFailure(outcome, kind, entry.Text));
            }
        }
    }

    public static RuntimeExpectations Instance { get; } = new(Path.Combine(AppContext.BaseDirectory, FileName));

    /// <summary>The kind that lists <paramref name="outcome"/> (<c>matched</c> for none).</summary>
    public static string KindOf(VerificationOutcome outcome) => Kinds.FirstOrDefault(k => k.Value == outcome).Key ?? "matched";

    public IEnumerable<string> Listed(Precision precision) => _failures[precision].Keys;

    public ExpectedFailure? For(Precision precision, string key) => _failures[precision].GetValueOrDefault(key);

    private static string Prefix(Precision precision) => $"{precision.ToString().ToLowerInvariant()}-";
}

/// <summary>A listed failure: the stage the test stops at, its kind's name, and why.</summary>
public sealed record ExpectedFailure(VerificationOutcome Outcome, string Kind, string Reason);
