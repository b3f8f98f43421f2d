using System.Reflection;
using System.Text.RegularExpressions;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.Core.Tests.Diagnostics;

public sealed partial class DiagnosticCodeTests
{
    [Fact]
    public void Every_code_the_sources_report_has_its_section_in_docs_diagnostics()
    {
        var root = SharedFolders.RepositoryRoot;
        var documented = File.ReadLines(Path.Combine(root, "docs", "diagnostics.md"))
            .Where(line => line.StartsWith("### MB", StringComparison.Ordinal)).Select(line => line[4..].Trim()).ToHashSet();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "build"), "*.targets"));
        var reported = sources.SelectMany(file => Code().Matches(File.ReadAllText(file)).Select(match => match.Value)).ToHashSet();

        // The constants of Core's catalogue too: a code defined there is a code users can meet.
        reported.UnionWith(typeof(DiagnosticCode).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (string)field.GetValue(null)!));

        Assert.Contains("MB5005", reported);
        Assert.Empty(reported.Except(documented).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\bMB\d{4}\b")]
    private static partial Regex Code();
}
