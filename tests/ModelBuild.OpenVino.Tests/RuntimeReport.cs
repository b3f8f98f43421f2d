using System.Globalization;
using System.Text;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// Counts per precision — converted, loaded, matched — and the listed failures grouped by stage and reason,
/// printed by the run and written with every failure to artifacts/openvino/report.txt.
/// </summary>
public sealed record RuntimeReport(string Summary)
{
    public static RuntimeReport Write()
    {
        var summary = new StringBuilder($"OpenVINO runtime (ovrun {OpenVinoRuntime.Instance.Version}, TEMPLATE plugin), ONNX {RuntimeRun.Suite} tests converted for OpenVINO {RuntimeRun.Target}, loaded, run:\n");
        var details = new StringBuilder();
        foreach (var precision in Enum.GetValues<Precision>())
        {
            var results = RuntimeRun.All(precision);
            int Reached(VerificationOutcome stage) => results.Values.Count(r => r.Outcome > stage);
            summary.Append(CultureInfo.InvariantCulture,
                $"  {precision} weights: {results.Count} tests, {Reached(VerificationOutcome.ConversionFailed)} converted, {Reached(VerificationOutcome.LoadFailed)} loaded, "
                + $"{Reached(VerificationOutcome.RunFailed)} ran, {results.Values.Count(r => r.Passed)} matched\n");
            var listed = results.Where(r => !r.Value.Passed)
                .Select(r => (Result: r, Expected: RuntimeExpectations.Instance.For(precision, r.Key)))
                .GroupBy(f => f.Expected is null ? "NOT LISTED" : $"{f.Expected.Kind}: {f.Expected.Reason}")
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in listed)
            {
                summary.Append(CultureInfo.InvariantCulture, $"    {group.Count(),4}  {group.Key}\n");
            }

            details.Append(SuiteReport.FailureLines(precision, results, result => RuntimeExpectations.KindOf(result.Outcome)));
        }

        SuiteReport.Write("openvino", summary.ToString(), details.ToString());
        return new RuntimeReport(summary.ToString());
    }
}
