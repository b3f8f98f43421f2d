using ModelBuild.Conformance.Tests.Helpers;
using Xunit;

namespace ModelBuild.Conformance.Tests;

/// <summary>
/// One test per ONNX backend test and precision: convert, read the IR back, evaluate, compare with
/// every test_data_set. Tests listed as known failures are reported as skipped with their reason,
/// and fail if they start passing (so the list stays true).
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<Precision, string, string> Cases()
    {
        var data = new TheoryData<Precision, string, string>();
        foreach (var precision in Enum.GetValues<Precision>())
        {
            foreach (var (suite, test) in ConformanceRun.Cases())
            {
                data.Add(precision, suite, test);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backend_test_computes_the_expected_outputs(Precision precision, string suite, string test)
    {
        var key = BackendTestSuites.Key(suite, test);
        var result = ConformanceRun.Result(precision, key);
        var expectedFailure = Expectations.Instance.ExpectedFailure(precision, key);
        if (expectedFailure is not null)
        {
            Assert.False(result.Passed, $"{key} ({precision}) passes now: remove it from {Expectations.FileName}.");
            Assert.Skip($"known failure: {expectedFailure} (this run: {result.Failure})");
        }

        Assert.True(result.Passed, $"{key} ({precision}) regressed: {result.Failure}");
    }

    [Fact]
    public void Pass_counts_meet_the_bar_and_every_failure_is_listed()
    {
        var report = ConformanceReport.Write();
        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary);

        var results = ConformanceRun.All(Precision.Fp32);
        var node = results.Where(r => r.Key.StartsWith("node/", StringComparison.Ordinal)).ToList();
        var others = results.Where(r => !r.Key.StartsWith("node/", StringComparison.Ordinal)).ToList();
        Assert.True(node.Count(r => r.Value.Passed) >= 750, $"node: {node.Count(r => r.Value.Passed)} of {node.Count} pass, at least 750 must.");
        Assert.True(others.Count(r => r.Value.Passed) >= 0.9 * others.Count,
            $"pytorch-converted + pytorch-operator + simple: {others.Count(r => r.Value.Passed)} of {others.Count} pass, at least 90% must.");

        foreach (var precision in Enum.GetValues<Precision>())
        {
            var all = ConformanceRun.All(precision);
            var unlisted = all.Where(r => !r.Value.Passed && Expectations.Instance.ExpectedFailure(precision, r.Key) is null).Select(r => r.Key).ToList();
            Assert.True(unlisted.Count == 0, $"{precision}: failing tests missing from {Expectations.FileName}: {string.Join(", ", unlisted)}");
            var stale = Expectations.Instance.Listed(precision).Where(k => !all.ContainsKey(k)).ToList();
            Assert.True(stale.Count == 0, $"{Expectations.FileName} lists tests that do not exist: {string.Join(", ", stale)}");
        }
    }
}
