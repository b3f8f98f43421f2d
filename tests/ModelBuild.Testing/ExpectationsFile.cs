using System.Globalization;
using ModelBuild.Core.Verification;

namespace ModelBuild.Testing;

/// <summary>One line of an expectations file: the test it is about (or <c>*</c>), its kind, and the rest (values, then the reason).</summary>
public sealed record ExpectationEntry(string Key, string Kind, string Text, string Line);

/// <summary>
/// The format of the checked-in lists of known failures: one entry per line, <c>suite/test  kind  reason</c>,
/// blank lines and <c>#</c> comments ignored. Each suite gives the kinds their meaning.
/// </summary>
public static class ExpectationsFile
{
    public static IReadOnlyList<ExpectationEntry> Read(string path)
    {
        var name = Path.GetFileName(path);
        var entries = new List<ExpectationEntry>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            entries.Add(parts.Length == 3
                ? new ExpectationEntry(parts[0], parts[1], parts[2], line)
                : throw new FormatException($"{name}: '{line}' needs a test, a kind and a reason."));
        }

        return entries;
    }

    /// <summary>The <c>rtol atol reason</c> of a tolerance entry.</summary>
    public static Tolerance ParseTolerance(ExpectationEntry entry)
    {
        var values = entry.Text.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        return values.Length >= 3
            && double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var relative)
            && double.TryParse(values[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var absolute)
            ? new Tolerance(relative, absolute)
            : throw new FormatException($"'{entry.Line}' needs rtol, atol and a reason.");
    }
}
