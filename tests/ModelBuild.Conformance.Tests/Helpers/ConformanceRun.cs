using System.Collections.Concurrent;
using ModelBuild.Core.Verification;

namespace ModelBuild.Conformance.Tests.Helpers;

/// <summary>
/// Runs every ONNX backend test of the four suites once per test process, in both precisions and in
/// parallel, and keeps the verdicts, so each test case and the summary read the same run.
/// </summary>
public static class ConformanceRun
{
    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    private static readonly Lazy<ConcurrentDictionary<(Precision, string), VerificationResult>> Results = new(RunAll);

    public static IEnumerable<(string Suite, string Test)> Cases() => BackendTestSuites.Cases(Suites);

    public static VerificationResult Result(Precision precision, string key) => Results.Value[(precision, key)];

    /// <summary>The verdicts of one precision, by "suite/test".</summary>
    public static IReadOnlyDictionary<string, VerificationResult> All(Precision precision) =>
        Results.Value.Where(r => r.Key.Item1 == precision).ToDictionary(r => r.Key.Item2, r => r.Value);

    private static ConcurrentDictionary<(Precision, string), VerificationResult> RunAll()
    {
        var work = Path.Combine(Path.GetTempPath(), $"modelbuild-conformance-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var results = new ConcurrentDictionary<(Precision, string), VerificationResult>();
            var runs = Cases().SelectMany(c => new[] { (Precision.Fp32, c), (Precision.Fp16, c) });
            Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, run =>
            {
                var (precision, (suite, test)) = run;
                var key = BackendTestSuites.Key(suite, test);
                var folder = BackendTestSuites.Folder(suite, test);
                var outputFolder = Path.Combine(work, precision.ToString());
                Directory.CreateDirectory(outputFolder);

                // The FP16 tolerance applies only where weights were actually compressed; an IR without
                // compressed weights is held to the FP32 standard.
                results[(precision, key)] = BackendTestVerifier.Verify(folder, outputFolder,
                    conversion => Expectations.Instance.ToleranceFor(conversion.CompressedWeights > 0 ? precision : Precision.Fp32, key),
                    request => request with { CompressToFp16 = precision == Precision.Fp16 });
            });
            return results;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
