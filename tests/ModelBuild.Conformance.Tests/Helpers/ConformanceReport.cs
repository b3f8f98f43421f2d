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

            foreach (var (key, result) in results.Where(r => !r.Value.Passed).OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                details.Append(CultureInfo.InvariantCulture, $"{precision}\t{key}\t{result.Failure?.ReplaceLineEndings(" ")}\n");
            }
        }

        var folder = Path.Combine(RepositoryRoot(), "artifacts", "conformance");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.txt"), summary + "\n" + details);
        return new ConformanceReport(summary.ToString());
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelBuild.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
