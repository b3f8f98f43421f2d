using System.Globalization;
using ModelBuild.Core.Verification;

namespace ModelBuild.Conformance.Tests;

/// <summary>
/// The checked-in list of backend tests ModelBuild does not pass yet, each with its reason, and of
/// tests that need a tolerance other than the default. Format, one per line:
/// <c>suite/test_name  fail  reason</c> or <c>suite/test_name  tolerance  rtol  atol  reason</c>.
/// </summary>
public sealed class Expectations
{
    public const string FileName = "conformance-expectations.txt";

    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tolerance> _tolerances = new(StringComparer.Ordinal);

    private Expectations(string path)
    {
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                throw new FormatException($"{FileName}: '{line}' needs a test, a kind and a reason.");
            }

            switch (parts[1])
            {
                case "fail":
                    _failures.Add(parts[0], parts[2]);
                    break;
                case "tolerance":
                    var values = parts[2].Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                    _tolerances.Add(parts[0], new Tolerance(double.Parse(values[0], CultureInfo.InvariantCulture), double.Parse(values[1], CultureInfo.InvariantCulture)));
                    break;
                default:
                    throw new FormatException($"{FileName}: unknown kind '{parts[1]}' in '{line}'.");
            }
        }
    }

    public static Expectations Instance { get; } = new(Path.Combine(AppContext.BaseDirectory, FileName));

    public IReadOnlyDictionary<string, string> Failures => _failures;

    public string? ExpectedFailure(string key) => _failures.GetValueOrDefault(key);

    public Tolerance? ToleranceFor(string key) => _tolerances.GetValueOrDefault(key);
}
