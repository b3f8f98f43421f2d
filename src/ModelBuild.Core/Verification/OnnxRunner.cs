using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>
/// Runs an ONNX model as the reference a conversion is checked against. Core defines what it needs; the
/// implementation (ONNX Runtime, in <c>ModelBuild.OnnxRuntime</c>) lives outside Core, so the MSBuild package,
/// which ships Core, never carries a runtime.
/// </summary>
public interface IOnnxRunner
{
    /// <summary>The runtime's name and version, for reports (e.g. "ONNX Runtime 1.32.0").</summary>
    string Name { get; }

    /// <summary>Loads the model (external data beside it).</summary>
    /// <exception cref="OnnxRunException">The runtime cannot load the model (an operator it lacks, an invalid graph).</exception>
    IOnnxSession Load(string onnxPath);
}

/// <summary>A loaded ONNX model.</summary>
public interface IOnnxSession : IDisposable
{
    /// <summary>Runs the model on inputs by graph-input name; returns the requested outputs by name.</summary>
    /// <exception cref="OnnxRunException">The runtime failed on these inputs.</exception>
    IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string> outputNames);
}

/// <summary>The reference runtime could not load or run a model; the message is the runtime's own.</summary>
public sealed class OnnxRunException(string message, Exception? inner = null) : Exception(message, inner);
