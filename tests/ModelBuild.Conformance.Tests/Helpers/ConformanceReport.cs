using System.Globalization;
using System.Text;

namespace ModelBuild.Conformance.Tests.Helpers;

/// <summary>Counts per suite and precision, printed by the run and written with every failure to artifacts/conformance/report.txt.</summary>
public sealed record ConformanceReport(string Summary)
{
    public static ConformanceReport Write()
    {
        var summary = new StringBuilder("Conformance (ONNX backend tests, convert → IR → reference evaluator):\n");
        var details = new StringBuilder();
        foreach (var precision in Enum.GetValues<Precision>())
        {
            var results = ConformanceRun.All(precision);
            var tolerance = Expectations.Instance.ToleranceFor(precision, "");
            summary.Append(CultureInfo.InvariantCulture, $"  {precision} weights (rtol {tolerance.Relative:G3}, atol {tolerance.Absolute:G3}):\n");
            foreach (var suite in ConformanceRun.Suites)
            {
                var inSuite = results.Where(r => r.Key.StartsWith(suite + "/", StringComparison.Ordinal)).ToList();
                summary.Append(CultureInfo.InvariantCulture, $"    {suite,-18} {inSuite.Count(r => r.Value.Passed),4} of {inSuite.Count,4} pass\n");
            }

            details.Append(SuiteReport.FailureLines(precision, results));
        }

        SuiteReport.Write("conformance", summary.ToString(), details.ToString());
        return new ConformanceReport(summary.ToString());
    }
}
