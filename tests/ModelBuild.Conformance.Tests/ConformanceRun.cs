using System.Collections.Concurrent;
using ModelBuild.Core.Verification;

namespace ModelBuild.Conformance.Tests;

/// <summary>
/// Runs every ONNX backend test of the four suites once per test process (in parallel) and keeps
/// the verdicts, so each test case and the summary read the same run.
/// </summary>
public static class ConformanceRun
{
    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    private static readonly Lazy<ConcurrentDictionary<string, VerificationResult>> Results = new(RunAll);

    /// <summary>Where Debian's libonnx-testdata installs the backend test data (override with ONNX_BACKEND_TEST_DATA).</summary>
    public static string DataRoot =>
        Environment.GetEnvironmentVariable("ONNX_BACKEND_TEST_DATA") is { Length: > 0 } root ? root : "/usr/include/onnx/backend/test/data";

    public static IEnumerable<(string Suite, string Test)> Cases()
    {
        if (!Directory.Exists(DataRoot))
        {
            throw new DirectoryNotFoundException($"ONNX backend test data not found at {DataRoot}: install it with 'apt-get install -y libonnx-testdata'.");
        }

        return Suites.SelectMany(suite => Directory.GetDirectories(Path.Combine(DataRoot, suite))
            .Select(path => (suite, Path.GetFileName(path)))
            .Order());
    }

    public static VerificationResult Result(string suite, string test) => Results.Value[Key(suite, test)];

    public static IReadOnlyDictionary<string, VerificationResult> All => Results.Value;

    public static string Key(string suite, string test) => $"{suite}/{test}";

    private static ConcurrentDictionary<string, VerificationResult> RunAll()
    {
        var work = Path.Combine(Path.GetTempPath(), $"modelbuild-conformance-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var results = new ConcurrentDictionary<string, VerificationResult>();
            Parallel.ForEach(Cases(), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
            {
                var folder = Path.Combine(DataRoot, c.Suite, c.Test);
                var tolerance = Expectations.Instance.ToleranceFor(Key(c.Suite, c.Test)) ?? Tolerance.Default;
                results[Key(c.Suite, c.Test)] = BackendTestVerifier.Verify(folder, work, tolerance);
            });
            return results;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
