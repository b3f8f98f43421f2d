using System.Globalization;
using System.Text;
using ModelBuild.Core.Verification;

namespace ModelBuild.Testing;

/// <summary>The report a suite writes to <c>artifacts/&lt;suite&gt;/report.txt</c>: its summary (which .ci/run prints), a blank line, then every failure.</summary>
public static class SuiteReport
{
    /// <summary>One line per failing result, ordered by test: precision, test, the columns <paramref name="describe"/> gives, the failure on one line.</summary>
    public static string FailureLines(Precision precision, IReadOnlyDictionary<string, VerificationResult> results, Func<VerificationResult, string>? describe = null)
    {
        var lines = new StringBuilder();
        foreach (var (key, result) in results.Where(r => !r.Value.Passed).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var columns = describe is null ? "" : describe(result) + "\t";
            lines.Append(CultureInfo.InvariantCulture, $"{precision}\t{key}\t{columns}{result.Failure?.ReplaceLineEndings(" ")}\n");
        }

        return lines.ToString();
    }

    public static void Write(string suite, string summary, string details)
    {
        var folder = Path.Combine(SharedFolders.RepositoryRoot, "artifacts", suite);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.txt"), summary + "\n" + details);
    }
}
