using ModelBuild.OnnxRuntime;

namespace ModelBuild.Differential.Tests;

/// <summary>
/// The CI run of the differential suite: a fixed seed, enough cases that every op meets dozens of random shapes, types
/// and attributes (at least 10,000 compared), run once for the tests of the class on two threads.
/// </summary>
public sealed class FixedSeedRun
{
    public const int Seed = 20261203;

    public const int Cases = 10_200;

    public FixedSeedRun()
    {
        using var work = new TempFolder();
        Results = new DifferentialRunner(new OnnxRuntimeRunner(threads: 1), work.Path).Run(Seed, first: 0, Cases, workers: 2);
    }

    public IReadOnlyList<CaseResult> Results { get; }

    /// <summary>Cases ONNX Runtime ran, so both sides were compared (or ModelBuild failed on them).</summary>
    public IEnumerable<CaseResult> Compared => Results.Where(r => r.Outcome != CaseOutcome.ReferenceRejected);
}
