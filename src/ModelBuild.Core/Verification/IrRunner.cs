using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>
/// Runs a converted IR for verification. <see cref="ReferenceIrRunner"/> reads it back and runs the reference
/// evaluator; tests plug in a real OpenVINO runtime, so both are judged by the same data and comparison.
/// </summary>
public interface IIrRunner
{
    /// <summary>Reads (and, for a runtime, compiles) the IR.</summary>
    /// <exception cref="IrRunException">The IR does not load (<see cref="VerificationOutcome.LoadFailed"/>).</exception>
    IIrSession Load(string xmlPath);
}

/// <summary>A loaded IR: its inputs and outputs, in the model's order, and inference.</summary>
public interface IIrSession : IDisposable
{
    IReadOnlyList<IrPort> Inputs { get; }

    IReadOnlyList<IrPort> Outputs { get; }

    /// <summary>One value per input, in <see cref="Inputs"/> order; returns one per output, in <see cref="Outputs"/> order.</summary>
    /// <exception cref="IrRunException">Inference failed (<see cref="VerificationOutcome.RunFailed"/>).</exception>
    IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs);
}

/// <summary>A model input or output: the names it answers to (friendly and tensor names) and its element type.</summary>
public sealed record IrPort(IReadOnlySet<string> Names, ElementType Type);

/// <summary>An IR that did not load, or an inference that failed, in the runner that tried.</summary>
public sealed class IrRunException(VerificationOutcome outcome, string message) : Exception(message)
{
    public VerificationOutcome Outcome { get; } = outcome;
}

/// <summary>Running a session on values keyed by name.</summary>
public static class IrSessionExtensions
{
    /// <summary>Runs <paramref name="session"/> on inputs given by any of their names; returns every output under each of its names.</summary>
    /// <exception cref="KeyNotFoundException">An input has no value.</exception>
    public static Dictionary<string, Tensor> RunByName(this IIrSession session, IReadOnlyDictionary<string, Tensor> inputs)
    {
        var arguments = session.Inputs.Select(port => port.Names.Where(inputs.ContainsKey).Select(name => inputs[name]).FirstOrDefault()
            ?? throw new KeyNotFoundException($"No value for input '{string.Join(",", port.Names)}'; given: {string.Join(", ", inputs.Keys)}.")).ToList();
        var outputs = session.Run(arguments);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < outputs.Count; i++)
        {
            foreach (var name in session.Outputs[i].Names)
            {
                byName[name] = outputs[i];
            }
        }

        return byName;
    }
}
