using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// The ONNX value names visible while translating one graph. A subgraph scope sees its parents'
/// names too: a constant is used directly, anything else becomes a new body Parameter (a capture)
/// that the enclosing Loop or If feeds from outside.
/// </summary>
internal sealed class TranslationScope
{
    private readonly Dictionary<string, Output> _values = new(StringComparer.Ordinal);
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

    public void Define(string name, Output value) => _values[name] = value;

    public bool DefinesLocally(string name) => _values.ContainsKey(name);

    public Output? Resolve(string name)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        var outer = _parent?.Resolve(name);
        if (outer is null || !_isSubgraph || outer.Value.IsConstant)
        {
            return outer;
        }

        var parameter = Node.CreateParameter(outer.Value.Type, outer.Value.Shape, name);
        CaptureParameters.Add(parameter);
        Captures.Add(outer.Value);
        _values[name] = parameter.Output();
        return parameter.Output();
    }
}
