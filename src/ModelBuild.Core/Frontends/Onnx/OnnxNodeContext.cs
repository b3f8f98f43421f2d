using System.Text;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Ops;
using AttributeType = ModelBuild.Core.Onnx.Wire.AttributeProto.Types.AttributeType;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// What a translator sees of one ONNX node: its inputs as graph outputs, its attributes with
/// defaults, and the builder to create OpenVINO ops with. The opset in force is not among them: the
/// op table's row for the opset range chose the translator (see <see cref="OnnxOpTable"/>).
/// </summary>
public sealed class OnnxNodeContext
{
    private readonly TranslationScope _scope;
    private readonly Dictionary<string, AttributeProto> _attributes;

    internal OnnxNodeContext(NodeProto node, TranslationScope scope, OnnxTranslationSession session)
    {
        Node = node;
        _scope = scope;
        Session = session;
        _attributes = new Dictionary<string, AttributeProto>(StringComparer.Ordinal);
        foreach (var attribute in node.Attribute)
        {
            _attributes[attribute.Name] = attribute;
        }
    }

    public NodeProto Node { get; }

    /// <summary>The node's name, or its first output's name when it has none (what messages call it).</summary>
    public string Name => Node.Name.Length > 0 ? Node.Name : Node.Output.FirstOrDefault(o => o.Length > 0) ?? Node.OpType;

    public string OpType => Node.OpType;

    public GraphBuilder Graph => Session.Builder;

    internal OnnxTranslationSession Session { get; }

    /// <summary>Outputs bound with <see cref="BindOutput"/>, by output index.</summary>
    internal Dictionary<int, OnnxValue> BoundOutputs { get; } = [];

    /// <summary>The number of inputs listed, empty ones (skipped optional inputs) included.</summary>
    public int InputCount => Node.Input.Count;

    public int OutputCount => Node.Output.Count;

    public bool HasInput(int index) => index < Node.Input.Count && Node.Input[index].Length > 0;

    /// <summary>Whether output <paramref name="index"/> is wanted by the graph (listed and named).</summary>
    public bool IsOutputUsed(int index) => index < Node.Output.Count && Node.Output[index].Length > 0;

    public Output Input(int index) => InputValue(index) switch
    {
        OnnxTensor tensor => tensor.Value,
        var other => throw Error($"input '{Node.Input[index]}' is {other.Kind}, where a tensor is expected"),
    };

    /// <summary>Input <paramref name="index"/> whatever its kind: a tensor, a sequence or an optional.</summary>
    public OnnxValue InputValue(int index)
    {
        if (!HasInput(index))
        {
            throw Error($"input {index} is required");
        }

        return _scope.Resolve(Node.Input[index]) switch
        {
            null => throw Error($"input '{Node.Input[index]}' is not produced by any node, input or initializer"),
            OnnxUnavailable unavailable => throw Error(unavailable.Reason),
            var value => value,
        };
    }

    /// <summary>Input <paramref name="index"/>, which must be a sequence.</summary>
    public OnnxSequence InputSequence(int index) => InputValue(index) switch
    {
        OnnxSequence sequence => sequence,
        var other => throw Error($"input '{Node.Input[index]}' is {other.Kind}, where a sequence is expected"),
    };

    public Output? OptionalInput(int index) => HasInput(index) ? Input(index) : null;

    /// <summary>The tensor a name of this node's graph (or an enclosing one) stands for, or null when it is no tensor.</summary>
    internal Output? TensorNamed(string name) => _scope.Resolve(name) is OnnxTensor tensor ? tensor.Value : null;

    /// <summary>The ONNX node that computed a name of this node's graph or an enclosing one (null for inputs, initializers, cut names).</summary>
    internal NodeProto? ProducerOf(string name) => _scope.ProducerOf(name);

    /// <summary>All present inputs in order (for variadic ops like Sum, Concat).</summary>
    public IReadOnlyList<Output> PresentInputs() =>
        Enumerable.Range(0, InputCount).Where(HasInput).Select(Input).ToArray();

    /// <summary>The value of an input when it is a constant small enough to read, else null.</summary>
    public static Tensor? ConstantValue(Output output) => output.Node.Constant?.TryGetValue();

    /// <summary>The value of input <paramref name="index"/>, which must be constant for this translation.</summary>
    public Tensor RequireConstantInput(int index, string what) =>
        ConstantValue(Input(index)) ?? throw Error($"{what} (input {index}) must be a constant for conversion");

    public bool HasAttribute(string name) => _attributes.ContainsKey(name);

    public long GetInt(string name, long defaultValue) => TryGet(name, AttributeType.Int) is { } a ? a.I : defaultValue;

    public long GetInt(string name) => Require(name, AttributeType.Int).I;

    public float GetFloat(string name, float defaultValue) => TryGet(name, AttributeType.Float) is { } a ? a.F : defaultValue;

    public string GetString(string name, string defaultValue) =>
        TryGet(name, AttributeType.String) is { } a ? Encoding.UTF8.GetString(a.S.Span) : defaultValue;

    public long[]? GetInts(string name) => TryGet(name, AttributeType.Ints)?.Ints.ToArray();

    public long[] GetInts(string name, long[] defaultValue) => GetInts(name) ?? defaultValue;

    public float[]? GetFloats(string name) => TryGet(name, AttributeType.Floats)?.Floats.ToArray();

    public string[]? GetStrings(string name) =>
        TryGet(name, AttributeType.Strings)?.Strings.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray();

    public Tensor? GetTensor(string name) =>
        TryGet(name, AttributeType.Tensor) is { } a
            ? OnnxTensors.ToTensor(a.T ?? throw Error($"attribute '{name}' is a tensor attribute without a tensor"), Session.Model)
            : null;

    public GraphProto? GetGraph(string name) => TryGet(name, AttributeType.Graph)?.G;

    /// <summary>The raw attribute (for translators that accept several kinds, like Constant).</summary>
    public AttributeProto? GetAttribute(string name) => _attributes.GetValueOrDefault(name);

    /// <summary>
    /// Makes output <paramref name="index"/> a value of any kind (a sequence, an optional); it takes
    /// precedence over what the translator returns at that position.
    /// </summary>
    public void BindOutput(int index, OnnxValue value) => BoundOutputs[index] = value;

    /// <summary>
    /// Translates a subgraph (Loop, If, Scan body). Its inputs become body Parameters with the given
    /// types and shapes; names of the enclosing graphs it uses become extra Parameters listed in
    /// <see cref="SubgraphTranslation.Captures"/>, for the caller to feed as invariant inputs.
    /// </summary>
    public SubgraphTranslation TranslateSubgraph(GraphProto graph, IReadOnlyList<SubgraphInput> inputs) =>
        Session.TranslateSubgraph(graph, inputs, _scope);

    /// <summary>
    /// Translates a graph attribute straight into the enclosing graph (the taken branch of an If
    /// with a constant condition, the body of a SequenceMap for one element): its inputs are bound
    /// to <paramref name="inputs"/>, outer names are used as they are, and its outputs are returned.
    /// </summary>
    public IReadOnlyList<OnnxValue> TranslateInline(GraphProto graph, IReadOnlyList<OnnxValue> inputs) =>
        Session.TranslateInline(graph, inputs, _scope);

    public ModelBuildException Error(string message) =>
        new(DiagnosticCode.TranslationFailed, $"{OpType}: {message}.", Session.Model.Path, Name);

    private AttributeProto? TryGet(string name, AttributeType type)
    {
        if (!_attributes.TryGetValue(name, out var attribute))
        {
            return null;
        }

        // Some exporters leave "type" unset; accept the attribute when the expected field is present.
        if (attribute.Type != type && attribute.Type != AttributeType.Undefined)
        {
            throw Error($"attribute '{name}' is {attribute.Type}, expected {type}");
        }

        return attribute;
    }

    private AttributeProto Require(string name, AttributeType type) =>
        TryGet(name, type) ?? throw Error($"attribute '{name}' is required");
}

/// <summary>A translated subgraph: the body model, and the outer values it captured (one extra body Parameter each, after the declared inputs).</summary>
public sealed record SubgraphTranslation(Model Body, IReadOnlyList<Output> Captures);

/// <summary>
/// How one declared input of a subgraph is fed: a body Parameter of <paramref name="Type"/> and
/// <paramref name="Shape"/>, which the subgraph sees through <paramref name="Adapt"/> when given
/// (for example a Squeeze that drops the iteration axis of a sliced input).
/// </summary>
public sealed record SubgraphInput(ElementType Type, PartialShape Shape, Func<Output, Output>? Adapt = null);
