using System.Diagnostics;
using System.Globalization;
using ModelBuild.Differential;
using ModelBuild.OnnxRuntime;

// Usage: DifferentialRun [--seed S] [--cases N] [--first I] [--workers W]   a run of N cases from I (seed random if not given)
//        DifferentialRun --seed S --case I [--keep DIR]                      one case again, its model (and IR) kept in DIR
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i += 2)
{
    options[args[i]] = i + 1 < args.Length ? args[i + 1] : "";
}

int Option(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

var seed = Option("--seed", Random.Shared.Next());
var work = Directory.CreateTempSubdirectory("modelbuild-differential-").FullName;
var runner = new DifferentialRunner(new OnnxRuntimeRunner(threads: 1), work);
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
        if (result.Outcome is not (CaseOutcome.Passed or CaseOutcome.ReferenceRejected) || options.ContainsKey("--rejected"))
        {
            Console.WriteLine($"{result.Op} {result.Outcome}: {result.Detail}\n  {result.Description}\n  rerun: {result.Reproduce}");
        }

        if (Interlocked.Increment(ref done) % 5000 == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... {done} cases, {clock.Elapsed.TotalSeconds:F0} s"));
        }
    });
    var byOutcome = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {results.Count} cases in {clock.Elapsed.TotalSeconds:F0} s: ")
        + string.Join(", ", Enum.GetValues<CaseOutcome>().Select(o => $"{byOutcome.GetValueOrDefault(o)} {o}")));
    foreach (var group in results.Where(r => r.Outcome is not (CaseOutcome.Passed or CaseOutcome.ReferenceRejected)).GroupBy(r => (r.Op, r.Outcome)).OrderBy(g => g.Key.Op, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {group.Key.Op} {group.Key.Outcome}: {group.Count()} (first: {group.First().Reproduce})");
    }

    return byOutcome.Keys.Any(o => o is not (CaseOutcome.Passed or CaseOutcome.ReferenceRejected)) ? 1 : 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}
