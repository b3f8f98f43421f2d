using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// One test per ONNX node test and precision, in the real OpenVINO runtime. Listed failures are reported as
/// skipped with their reason, and fail when they match or stop at another stage than listed (so the list stays true).
/// </summary>
public sealed class NodeTests
{
    public static TheoryData<Precision, string> Cases()
    {
        var data = new TheoryData<Precision, string>();
        foreach (var precision in Enum.GetValues<Precision>())
        {
            foreach (var (_, test) in RuntimeRun.Cases())
            {
                data.Add(precision, test);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Node_test_computes_the_expected_outputs_in_OpenVINO(Precision precision, string test)
    {
        var key = BackendTestSuites.Key(RuntimeRun.Suite, test);
        var result = RuntimeRun.Result(precision, key);
        var expected = RuntimeExpectations.Instance.For(precision, key);
        if (expected is not null)
        {
            Assert.False(result.Passed, $"{key} ({precision}) matches now: remove it from {RuntimeExpectations.FileName}.");
            Assert.True(result.Outcome == expected.Outcome,
                $"{key} ({precision}) is listed as {expected.Kind} but is {RuntimeExpectations.KindOf(result.Outcome)} now: {result.Failure}");
            Assert.Skip($"known failure, {expected.Kind}: {expected.Reason} (this run: {result.Failure})");
        }

        Assert.True(result.Passed, $"{key} ({precision}) regressed, {RuntimeExpectations.KindOf(result.Outcome)}: {result.Failure}");
    }

    [Fact]
    public void Match_counts_meet_the_bar_and_every_failure_is_listed()
    {
        var report = RuntimeReport.Write();
        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary);

        foreach (var precision in Enum.GetValues<Precision>())
        {
            var all = RuntimeRun.All(precision);
            var unlisted = all.Where(r => !r.Value.Passed && RuntimeExpectations.Instance.For(precision, r.Key) is null).Select(r => r.Key).ToList();
            Assert.True(unlisted.Count == 0, $"{precision}: failing tests missing from {RuntimeExpectations.FileName}: {string.Join(", ", unlisted)}");
            var stale = RuntimeExpectations.Instance.Listed(precision).Where(k => !all.ContainsKey(k)).ToList();
            Assert.True(stale.Count == 0, $"{RuntimeExpectations.FileName} lists tests that do not exist: {string.Join(", ", stale)}");
        }
    }
}
