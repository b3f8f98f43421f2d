using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// The ONNX value names visible while translating one graph. A subgraph scope sees its parents'
/// names too: a constant is used directly, anything else becomes a new body Parameter (a capture)
/// that the enclosing Loop or If feeds from outside. An inline scope (a branch or map body
/// translated into its parent graph) sees its parents' values as they are.
/// </summary>
internal sealed class TranslationScope
{
    private readonly Dictionary<string, OnnxValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _captured = new(StringComparer.Ordinal);
    private readonly TranslationScope? _parent;
    private readonly bool _isSubgraph;

    public TranslationScope(TranslationScope? parent = null, bool isSubgraph = false)
    {
        _parent = parent;
        _isSubgraph = isSubgraph;
    }

    /// <summary>Body Parameters created for outer values, in the order they were first used.</summary>
    public List<Node> CaptureParameters { get; } = [];

    /// <summary>The outer values behind <see cref="CaptureParameters"/>, same order.</summary>
    public List<Output> Captures { get; } = [];

    public void Define(string name, Output value) => _values[name] = new OnnxTensor(value);

    public void Define(string name, OnnxValue value) => _values[name] = value;

    public bool DefinesLocally(string name) => _values.ContainsKey(name);

    /// <summary>Records the ONNX node that computed a name (not for names the user cut or froze).</summary>
    public void DefineProducer(string name, NodeProto node) => _producers[name] = node;

    /// <summary>
    /// The ONNX node that computed a name, looking through enclosing graphs; null for inputs,
    /// initializers, cut or frozen names, and names a nearer graph defines otherwise.
    /// </summary>
    public NodeProto? ProducerOf(string name) =>
        _producers.TryGetValue(name, out var node) ? node
        : _values.ContainsKey(name) && !_captured.Contains(name) ? null
        : _parent?.ProducerOf(name);

    /// <summary>The value of a name (capturing it when it comes from outside a subgraph), or null when nothing defines it.</summary>
    public OnnxValue? Resolve(string name)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        var outer = _parent?.Resolve(name);
        if (outer is null || !_isSubgraph)
        {
            return outer;
        }

        var captured = Capture(name, outer);
        _values[name] = captured;
        _captured.Add(name);
        return captured;
    }

    // A sequence or optional from outside is captured element by element: each tensor in it gets its own Parameter.
    private OnnxValue Capture(string name, OnnxValue outer) => outer switch
    {
        OnnxTensor tensor => new OnnxTensor(CaptureTensor(name, tensor.Value)),
        OnnxSequence sequence => new OnnxSequence(sequence.Elements.Select((e, i) => CaptureTensor($"{name}[{i}]", e)).ToArray()),
        OnnxOptional { Element: { } element } => new OnnxOptional(Capture(name, element)),
        _ => outer,
    };

    private Output CaptureTensor(string name, Output outer)
    {
        if (outer.IsConstant)
        {
            return outer;
        }

        var parameter = Node.CreateParameter(outer.Type, outer.Shape, name);
        CaptureParameters.Add(parameter);
        Captures.Add(outer);
        return parameter.Output();
    }
}
