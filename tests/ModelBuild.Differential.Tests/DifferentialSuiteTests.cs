using System.Globalization;
using System.Text;
using ModelBuild.OnnxRuntime;
using Xunit;

namespace ModelBuild.Differential.Tests;

/// <summary>
/// Random small ONNX graphs per op, converted and run in the reference evaluator, compared with ONNX Runtime. Every
/// failure is listed in differential-expectations.txt by op and kind with its reason; a listed one that no longer fails
/// fails the suite, so the list stays true. Failures only long runs meet are listed with their cases in
/// differential-long-run-expectations.txt, and those cases are rerun here.
/// </summary>
public sealed class DifferentialSuiteTests(FixedSeedRun run) : IClassFixture<FixedSeedRun>
{
    private readonly DifferentialExpectations _expectations = DifferentialExpectations.Load();

    [Fact]
    public void At_least_10000_cases_compare_over_at_least_120_op_types()
    {
        var compared = run.Compared.ToList();

        Assert.True(compared.Count >= 10_000, $"{compared.Count} cases compared; ONNX Runtime refused {run.Results.Count - compared.Count}.");
        // An op counts when at least one of its cases matched ONNX Runtime: one that never converts covers nothing.
        var ops = compared.Where(r => r.Outcome == CaseOutcome.Passed).Select(r => r.Op).Distinct().Count();
        Assert.True(ops >= 120, $"{ops} op types matched ONNX Runtime at least once.");
    }

    [Fact]
    public void Every_failure_is_listed_and_every_listed_failure_still_fails()
    {
        var listed = _expectations.FixedSeed.ToDictionary(e => (e.Op, e.Outcome), e => e.Reason);
        var failing = run.Compared.Where(r => r.Outcome != CaseOutcome.Passed).GroupBy(r => (r.Op, r.Outcome)).ToDictionary(g => g.Key, g => g.ToList());
        WriteReport(listed, failing);

        var unlisted = failing.Where(f => !listed.ContainsKey(f.Key))
            .Select(f => $"{f.Key.Op} {f.Key.Outcome}: {f.Value.Count} case(s), first {f.Value[0].Reproduce}: {f.Value[0].Detail} ({f.Value[0].Description})").ToList();
        var stale = listed.Keys.Where(k => !failing.ContainsKey(k)).Select(k => $"{k.Op} {k.Outcome}").ToList();
        Assert.True(unlisted.Count == 0 && stale.Count == 0,
            $"Failing but not listed:\n  {string.Join("\n  ", unlisted)}\nListed but passing now (remove the line):\n  {string.Join("\n  ", stale)}");
    }

    [Fact]
    public void Every_case_listed_from_long_runs_still_fails_as_listed()
    {
        using var work = new TempFolder();
        var runner = new DifferentialRunner(new OnnxRuntimeRunner(threads: 1), work.Path);
        var wrong = new List<string>();
        foreach (var listed in _expectations.LongRun)
        {
            foreach (var (seed, index) in listed.Cases)
            {
                var result = runner.Run(seed, index);
                if (result.Op != listed.Op || result.Outcome != listed.Outcome)
                {
                    wrong.Add($"{result.Reproduce}: listed as {listed.Op} {listed.Outcome}, now {result.Op} {result.Outcome} {result.Detail}");
                }
            }
        }

        Assert.True(_expectations.LongRun.Count > 0 && wrong.Count == 0,
            $"{DifferentialExpectations.LongRunFile}: cases that no longer fail as listed (fixed: remove the case, or the line):\n  {string.Join("\n  ", wrong)}");
    }

    [Fact]
    public void A_case_is_the_same_whenever_it_is_generated()
    {
        foreach (var index in new[] { 0, 17, 4321 })
        {
            var first = CaseCatalog.Generate(FixedSeedRun.Seed, index);
            var again = CaseCatalog.Generate(FixedSeedRun.Seed, index);
            Assert.Equal(first.Model, again.Model);
            Assert.Equal(first.Inputs.Keys, again.Inputs.Keys);
            Assert.All(first.Inputs, input => Assert.Equal(input.Value.ToBytes(), again.Inputs[input.Key].ToBytes()));
        }
    }

    private void WriteReport(Dictionary<(string Op, CaseOutcome Outcome), string> listed, Dictionary<(string Op, CaseOutcome Outcome), List<CaseResult>> failing)
    {
        var counts = run.Results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Differential suite (seed {FixedSeedRun.Seed}): {run.Results.Count} cases, {run.Results.Where(r => r.Outcome == CaseOutcome.Passed).Select(r => r.Op).Distinct().Count()} op types matched ONNX Runtime: ")
            + string.Join(", ", Enum.GetValues<CaseOutcome>().Select(o => $"{counts.GetValueOrDefault(o)} {o}")) + "\n";
        var details = new StringBuilder();
        foreach (var ((op, outcome), cases) in failing.OrderBy(f => f.Key.Op, StringComparer.Ordinal))
        {
            details.Append(CultureInfo.InvariantCulture, $"{op}\t{outcome}\t{cases.Count}\t{(listed.TryGetValue((op, outcome), out var reason) ? "listed: " + reason : "NOT LISTED")}\n");
            foreach (var result in cases.Take(3))
            {
                details.Append(CultureInfo.InvariantCulture, $"\t{result.Reproduce}\t{result.Detail.ReplaceLineEndings(" ")}\t{result.Description}\n");
            }
        }

        SuiteReport.Write("differential", summary, details.ToString());
    }
}
