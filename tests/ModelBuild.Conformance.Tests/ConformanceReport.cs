using System.Globalization;
using System.Text;
using ModelBuild.Core.Verification;

namespace ModelBuild.Conformance.Tests;

/// <summary>Counts per suite, printed by the run and written with every failure to artifacts/conformance/report.txt.</summary>
public sealed record ConformanceReport(string Summary)
{
    public static ConformanceReport Write(IReadOnlyDictionary<string, VerificationResult> results)
    {
        var summary = new StringBuilder("Conformance (ONNX backend tests, convert → IR → reference evaluator):\n");
        foreach (var suite in ConformanceRun.Suites)
        {
            var inSuite = results.Where(r => r.Key.StartsWith(suite + "/", StringComparison.Ordinal)).ToList();
            summary.Append(CultureInfo.InvariantCulture, $"  {suite,-18} {inSuite.Count(r => r.Value.Passed),4} of {inSuite.Count,4} pass\n");
        }

        var details = new StringBuilder(summary.ToString()).Append('\n');
        foreach (var (key, result) in results.Where(r => !r.Value.Passed).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            details.Append(CultureInfo.InvariantCulture, $"{key}\t{result.Failure?.ReplaceLineEndings(" ")}\n");
        }

        var folder = Path.Combine(RepositoryRoot(), "artifacts", "conformance");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.txt"), details.ToString());
        return new ConformanceReport(summary.ToString());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelBuild.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
