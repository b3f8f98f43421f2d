using System.Diagnostics;
using System.Globalization;
using ModelBuild.Differential;
using ModelBuild.OnnxRuntime;

// Usage: DifferentialRun [--seed S] [--cases N] [--first I] [--workers W]   a run of N cases from I (seed random if not given)
//        DifferentialRun --seed S --case I [--keep DIR]                      one case again, its model (and IR) kept in DIR
// A failure whose op and kind are listed in the suite's expectations files is known; the others are printed in full as
// new, and only new ones make the exit code 1.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i += 2)
{
    options[args[i]] = i + 1 < args.Length ? args[i + 1] : "";
}

int Option(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

var seed = Option("--seed", Random.Shared.Next());
var work = Directory.CreateTempSubdirectory("modelbuild-differential-").FullName;
var runner = new DifferentialRunner(new OnnxRuntimeRunner(threads: 1), work);
var expectations = DifferentialExpectations.Load();
bool IsFailure(CaseResult result) => result.Outcome is not (CaseOutcome.Passed or CaseOutcome.ReferenceRejected);
try
{
    if (options.TryGetValue("--case", out var single))
    {
        var index = int.Parse(single, CultureInfo.InvariantCulture);
        var generated = CaseCatalog.Generate(seed, index);
        var keep = options.GetValueOrDefault("--keep") ?? Path.Combine(Path.GetTempPath(), $"modelbuild-differential-{seed}-{index}");
        var (outcome, detail) = runner.Run(generated, keep, keep: true);
        Console.WriteLine($"seed {seed} case {index}: {generated.Op}: {outcome} {detail}");
        Console.WriteLine($"  {generated.Description}");
        if (expectations.ReasonFor(new CaseResult(seed, index, generated.Op, outcome, detail, generated.Description)) is { } known)
        {
            Console.WriteLine($"  listed: {known}");
        }

        Console.WriteLine($"  model and IR in {keep}");
        return outcome == CaseOutcome.Passed ? 0 : 1;
    }

    var cases = Option("--cases", 10_000);
    var first = Option("--first", 0);
    var workers = Option("--workers", Environment.ProcessorCount);
    var clock = Stopwatch.StartNew();
    var done = 0;
    Console.WriteLine($"seed {seed}: cases {first}..{first + cases - 1} over {CaseCatalog.Ops.Count} op types, {workers} worker(s)");
    var results = runner.Run(seed, first, cases, workers, result =>
    {
        var isNew = IsFailure(result) && expectations.ReasonFor(result) is null;
        if (isNew || (result.Outcome == CaseOutcome.ReferenceRejected && options.ContainsKey("--rejected")))
        {
            Console.WriteLine($"{(isNew ? "NEW " : "")}{result.Op} {result.Outcome}: {result.Detail}\n  {result.Description}\n  rerun: {result.Reproduce}");
        }

        if (Interlocked.Increment(ref done) % 5000 == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... {done} cases, {clock.Elapsed.TotalSeconds:F0} s"));
        }
    });
    var byOutcome = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {results.Count} cases in {clock.Elapsed.TotalSeconds:F0} s: ")
        + string.Join(", ", Enum.GetValues<CaseOutcome>().Select(o => $"{byOutcome.GetValueOrDefault(o)} {o}")));
    var failures = results.Where(IsFailure).GroupBy(r => (r.Op, r.Outcome)).OrderBy(g => g.Key.Op, StringComparer.Ordinal).ToList();
    foreach (var group in failures)
    {
        var known = expectations.ReasonFor(group.First()) is null ? "NEW" : "listed";
        Console.WriteLine($"  {group.Key.Op} {group.Key.Outcome}: {group.Count()} {known} (first: {group.First().Reproduce})");
    }

    var unlisted = failures.Where(g => expectations.ReasonFor(g.First()) is null).Sum(g => g.Count());
    Console.WriteLine($"seed {seed}: {failures.Sum(g => g.Count())} failed cases, {unlisted} of them new (not listed by op and kind)");
    return unlisted > 0 ? 1 : 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}
