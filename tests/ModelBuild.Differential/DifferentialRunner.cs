using System.Collections.Concurrent;
using System.Globalization;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;

namespace ModelBuild.Differential;

/// <summary>What became of a case. Only <see cref="Passed"/> and the three failures compare anything; ONNX Runtime's refusals are not cases.</summary>
public enum CaseOutcome
{
    Passed,
    /// <summary>An output differs from ONNX Runtime's.</summary>
    Mismatch,
    /// <summary>ModelBuild did not convert a model ONNX Runtime runs.</summary>
    ConversionFailed,
    /// <summary>The IR did not run in the reference evaluator.</summary>
    RunFailed,
    /// <summary>ONNX Runtime refused the model or its inputs (a type it has no kernel for): nothing to compare with.</summary>
    ReferenceRejected,
}

public sealed record CaseResult(int Seed, int Index, string Op, CaseOutcome Outcome, string Detail, string Description)
{
    /// <summary>The command that runs this case alone, for a failure report.</summary>
    public string Reproduce => string.Create(CultureInfo.InvariantCulture, $"eng/differential-run.sh --seed {Seed} --case {Index}");
}

/// <summary>
/// Runs generated cases: ONNX Runtime on the ONNX model, ModelBuild's conversion (full precision) and its reference
/// evaluator on the IR, the same inputs to both, every output compared.
/// </summary>
public sealed class DifferentialRunner(IOnnxRunner reference, string workFolder)
{
    public CaseResult Run(int seed, int index)
    {
        var generated = CaseCatalog.Generate(seed, index);
        var (outcome, detail) = Run(generated, Path.Combine(workFolder, $"case-{seed}-{index}"));
        return new CaseResult(seed, index, generated.Op, outcome, detail, generated.Description);
    }

    /// <summary>Cases <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 of <paramref name="seed"/>, on <paramref name="workers"/> threads.</summary>
    public IReadOnlyList<CaseResult> Run(int seed, int first, int count, int workers, Action<CaseResult>? onResult = null)
    {
        var results = new ConcurrentBag<CaseResult>();
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = workers }, index =>
        {
            var result = Run(seed, index);
            results.Add(result);
            onResult?.Invoke(result);
        });
        return [.. results.OrderBy(r => r.Index)];
    }

    /// <summary>Writes the case's model to <paramref name="folder"/> and keeps it there (with the IR) when <paramref name="keep"/>.</summary>
    public (CaseOutcome Outcome, string Detail) Run(DifferentialCase generated, string folder, bool keep = false)
    {
        Directory.CreateDirectory(folder);
        try
        {
            var onnx = Path.Combine(folder, "model.onnx");
            var xml = Path.Combine(folder, "model.xml");
            File.WriteAllBytes(onnx, generated.Model);
            IReadOnlyDictionary<string, Tensor> expected;
            try
            {
                using var session = reference.Load(onnx);
                expected = session.Run(generated.Inputs, generated.Outputs);
            }
            catch (OnnxRunException error)
            {
                return (CaseOutcome.ReferenceRejected, error.Message);
            }

            try
            {
                ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = xml, CompressToFp16 = false });
            }
            catch (ModelBuildException error)
            {
                return (CaseOutcome.ConversionFailed, $"{error.Code}: {error.Message}");
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                return (CaseOutcome.ConversionFailed, $"crash: {error.GetType().Name}: {error.Message}");
            }

            Dictionary<string, Tensor> actual;
            try
            {
                using var ir = ReferenceIrRunner.Instance.Load(xml);
                actual = ir.RunByName(generated.Inputs);
            }
            catch (IrRunException error)
            {
                return (CaseOutcome.RunFailed, error.Message);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                return (CaseOutcome.RunFailed, $"crash: {error.GetType().Name}: {error.Message}");
            }

            foreach (var name in generated.Outputs)
            {
                if (!actual.TryGetValue(name, out var value))
                {
                    return (CaseOutcome.Mismatch, $"output '{name}': the IR has no output of this name");
                }

                var comparison = TensorComparison.Compare(value, expected[name], generated.RelativeTolerance, generated.AbsoluteTolerance);
                if (!comparison.Matches)
                {
                    return (CaseOutcome.Mismatch, $"output '{name}': {comparison.Mismatch}");
                }
            }

            return (CaseOutcome.Passed, "");
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
