using ModelBuild.Core.Verification;
using Xunit;

namespace ModelBuild.Conformance.Tests;

/// <summary>
/// One test per ONNX backend test: convert, read the IR back, evaluate, compare with every
/// test_data_set. Tests listed as known failures are reported as skipped with their reason, and
/// fail if they start passing (so the list stays true).
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (suite, test) in ConformanceRun.Cases())
        {
            data.Add(suite, test);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backend_test_computes_the_expected_outputs(string suite, string test)
    {
        var key = ConformanceRun.Key(suite, test);
        var result = ConformanceRun.Result(suite, test);
        var expectedFailure = Expectations.Instance.ExpectedFailure(key);
        if (expectedFailure is not null)
        {
            Assert.False(result.Passed, $"{key} passes now: remove it from {Expectations.FileName}.");
            Assert.Skip($"known failure: {expectedFailure} (this run: {result.Failure})");
        }

        Assert.True(result.Passed, $"{key} regressed: {result.Failure}");
    }

    [Fact]
    public void Pass_counts_meet_the_bar_and_every_failure_is_listed()
    {
        var results = ConformanceRun.All;
        var report = ConformanceReport.Write(results);
        TestContext.Current.SendDiagnosticMessage(report.Summary);
        Console.WriteLine(report.Summary);

        var node = results.Where(r => r.Key.StartsWith("node/", StringComparison.Ordinal)).ToList();
        var others = results.Where(r => !r.Key.StartsWith("node/", StringComparison.Ordinal)).ToList();
        Assert.True(node.Count(r => r.Value.Passed) >= 750, $"node: {node.Count(r => r.Value.Passed)} of {node.Count} pass, at least 750 must.");
        Assert.True(others.Count(r => r.Value.Passed) >= 0.9 * others.Count,
            $"pytorch-converted + pytorch-operator + simple: {others.Count(r => r.Value.Passed)} of {others.Count} pass, at least 90% must.");

        var unlisted = results.Where(r => !r.Value.Passed && Expectations.Instance.ExpectedFailure(r.Key) is null).Select(r => r.Key).ToList();
        Assert.True(unlisted.Count == 0, $"Failing tests missing from {Expectations.FileName}: {string.Join(", ", unlisted)}");
        var stale = Expectations.Instance.Failures.Keys.Where(k => !results.ContainsKey(k)).ToList();
        Assert.True(stale.Count == 0, $"{Expectations.FileName} lists tests that do not exist: {string.Join(", ", stale)}");
    }
}
