using ModelBuild.Core.Graph;

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
