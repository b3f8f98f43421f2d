using System.Globalization;
using ModelBuild.Testing;

namespace ModelBuild.Differential;

/// <summary>A known failure: every case of <paramref name="Op"/> that ends in <paramref name="Outcome"/> is explained by <paramref name="Reason"/>.</summary>
public sealed record ListedFailure(string Op, CaseOutcome Outcome, string Reason, string Line);

/// <summary>
/// A known failure the fixed CI seed never meets, listed with cases of long runs that show it: CI reruns those cases
/// (<see cref="Cases"/>), so the line stays true without the fixed seed ever generating one.
/// </summary>
public sealed record LongRunFailure(string Op, CaseOutcome Outcome, IReadOnlyList<(int Seed, int Index)> Cases, string Reason, string Line);

/// <summary>
/// The checked-in known failures of the differential suite, read by the CI run (tests/ModelBuild.Differential.Tests)
/// and by the long runs (eng/DifferentialRun) alike: <c>differential-expectations.txt</c> lists what the fixed seed
/// meets, <c>differential-long-run-expectations.txt</c> what only long runs meet, each line with cases that show it.
/// </summary>
public sealed class DifferentialExpectations
{
    public const string FixedSeedFile = "differential-expectations.txt";

    public const string LongRunFile = "differential-long-run-expectations.txt";

    private static readonly Dictionary<string, CaseOutcome> Kinds = new(StringComparer.Ordinal)
    {
        ["mismatch"] = CaseOutcome.Mismatch,
        ["conversion-failed"] = CaseOutcome.ConversionFailed,
        ["run-failed"] = CaseOutcome.RunFailed,
    };

    private DifferentialExpectations(IReadOnlyList<ListedFailure> fixedSeed, IReadOnlyList<LongRunFailure> longRun)
    {
        FixedSeed = fixedSeed;
        LongRun = longRun;
    }

    public IReadOnlyList<ListedFailure> FixedSeed { get; }

    public IReadOnlyList<LongRunFailure> LongRun { get; }

    /// <summary>Both lists from <paramref name="folder"/> (the program's own folder: the files are copied beside it).</summary>
    public static DifferentialExpectations Load(string? folder = null)
    {
        folder ??= AppContext.BaseDirectory;
        var fixedSeed = ExpectationsFile.Read(Path.Combine(folder, FixedSeedFile))
            .Select(entry => new ListedFailure(Op(entry), Outcome(entry), entry.Text, entry.Line)).ToList();
        var longRun = ExpectationsFile.Read(Path.Combine(folder, LongRunFile)).Select(ParseLongRun).ToList();
        var twice = fixedSeed.Select(f => (f.Op, f.Outcome)).Intersect(longRun.Select(f => (f.Op, f.Outcome))).ToList();
        return twice.Count == 0
            ? new DifferentialExpectations(fixedSeed, longRun)
            : throw new FormatException($"{string.Join(", ", twice.Select(t => $"{t.Op} {t.Outcome}"))}: listed in both {FixedSeedFile} and {LongRunFile}; a failure the fixed seed meets belongs in {FixedSeedFile} only.");
    }

    /// <summary>The reason a failed case is known, from either list by its op and kind; null when it is new.</summary>
    public string? ReasonFor(CaseResult result) =>
        FixedSeed.FirstOrDefault(f => f.Op == result.Op && f.Outcome == result.Outcome)?.Reason
        ?? LongRun.FirstOrDefault(f => f.Op == result.Op && f.Outcome == result.Outcome)?.Reason;

    private static string Op(ExpectationEntry entry) =>
        CaseCatalog.Ops.Contains(entry.Key) ? entry.Key : throw new FormatException($"'{entry.Line}': the suite generates no {entry.Key} cases.");

    private static CaseOutcome Outcome(ExpectationEntry entry) =>
        Kinds.TryGetValue(entry.Kind, out var outcome) ? outcome : throw new FormatException($"'{entry.Line}': the kind is one of {string.Join(", ", Kinds.Keys)}.");

    // Op  kind  seed/case,seed/case,...  reason
    private static LongRunFailure ParseLongRun(ExpectationEntry entry)
    {
        var parts = entry.Text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        var cases = parts.Length == 2 ? parts[0].Split(',').Select(ParseCase).ToList() : [];
        return cases.Count > 0 && cases.All(c => c is not null)
            ? new LongRunFailure(Op(entry), Outcome(entry), cases.Select(c => c!.Value).ToList(), parts[1], entry.Line)
            : throw new FormatException($"'{entry.Line}': after the kind come the cases that show it (seed/case,seed/case,...), then the reason.");
    }

    private static (int Seed, int Index)? ParseCase(string text)
    {
        var pair = text.Split('/');
        return pair.Length == 2
            && int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (seed, index)
            : null;
    }
}
