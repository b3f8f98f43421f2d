using System.Collections.Concurrent;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// Converts every ONNX <c>node</c> backend test for the runtime's release (2022.1), loads and runs it in the real OpenVINO
/// runtime on each data set and compares with the expected outputs — once per test process, both precisions, in
/// parallel — and keeps the verdicts, so each test case and the summary read the same run.
/// </summary>
public static class RuntimeRun
{
    public const string Suite = "node";

    /// <summary>The release the runtime of ../shared/openvino reads IR of (its README: what a 2022.1 runtime accepts).</summary>
    public static OpenVinoRelease Target { get; } = OpenVinoReleases.Parse("2022.1");

    private static readonly Lazy<ConcurrentDictionary<(Precision, string), VerificationResult>> Results = new(RunAll);

    public static IEnumerable<(string Suite, string Test)> Cases() => BackendTestSuites.Cases(Suite);

    public static VerificationResult Result(Precision precision, string key) => Results.Value[(precision, key)];

    /// <summary>The verdicts of one precision, by "suite/test".</summary>
    public static IReadOnlyDictionary<string, VerificationResult> All(Precision precision) =>
        Results.Value.Where(r => r.Key.Item1 == precision).ToDictionary(r => r.Key.Item2, r => r.Value);

    /// <summary>FP16-compressed weights carry 11 significant bits: the conformance suite's FP16 tolerance, where weights were compressed.</summary>
    public static Tolerance Fp16Tolerance { get; } = new(3e-3, 3e-4);

    private static ConcurrentDictionary<(Precision, string), VerificationResult> RunAll()
    {
        var work = Directory.CreateTempSubdirectory("modelbuild-openvino-");
        try
        {
            var results = new ConcurrentDictionary<(Precision, string), VerificationResult>();
            var runs = Cases().SelectMany(c => Enum.GetValues<Precision>().Select(p => (Precision: p, Case: c)));
            Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, run =>
            {
                var (suite, test) = run.Case;
                var outputFolder = Directory.CreateDirectory(Path.Combine(work.FullName, run.Precision.ToString())).FullName;
                results[(run.Precision, BackendTestSuites.Key(suite, test))] = BackendTestVerifier.Verify(
                    BackendTestSuites.Folder(suite, test),
                    outputFolder,
                    conversion => conversion.CompressedWeights > 0 && run.Precision == Precision.Fp16 ? Fp16Tolerance : Tolerance.Default,
                    request => request with { CompressToFp16 = run.Precision == Precision.Fp16, Target = Target },
                    OpenVinoRuntime.Instance);
            });
            return results;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
