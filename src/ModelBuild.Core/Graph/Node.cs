using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Graph;

/// <summary>
/// One operation in a graph: an <see cref="OpDefinition"/>, its inputs (outputs of other nodes),
/// complete attributes, output ports with inferred types and shapes, and optionally a constant
/// payload (Const) or subgraph bodies (Loop, If, TensorIterator).
/// </summary>
public sealed class Node
{
    private readonly Output[] _inputs;
    private OutputPort[] _outputs = [];

    private Node(OpDefinition op, Output[] inputs, Attributes attributes, IReadOnlyList<Body> bodies, ConstantPayload? constant)
    {
        Op = op;
        _inputs = inputs;
        Attributes = attributes;
        Bodies = bodies;
        Constant = constant;
    }

    public OpDefinition Op { get; }

    public string Type => Op.Type;

    /// <summary>The friendly (layer) name; the IR writer names unnamed nodes after their type and makes names unique.</summary>
    public string? Name { get; set; }

    public IReadOnlyList<Output> Inputs => _inputs;

    public IReadOnlyList<OutputPort> Outputs => _outputs;

    public Attributes Attributes { get; }

    public IReadOnlyList<Body> Bodies { get; }

    public ConstantPayload? Constant { get; }

    public List<RtInfoEntry> RuntimeInfo { get; } = [];

    /// <summary>
    /// When true, constant folding leaves this node in the graph even if its inputs are constant:
    /// set on the Convert of a low-precision weight decompression (Const → Convert → Subtract →
    /// Multiply), a pattern OpenVINO recognizes only as long as it is not folded away.
    /// </summary>
    public bool FoldingDisabled { get; set; }

    /// <summary>
    /// Creates a node and infers its outputs. Attribute values are checked against the op's
    /// declarations; absent ones take their defaults. Throws <see cref="InferenceException"/>
    /// when inputs or attributes are inconsistent.
    /// </summary>
    public static Node Create(
        OpDefinition op,
        IReadOnlyList<Output> inputs,
        IReadOnlyDictionary<string, object>? attributes = null,
        IReadOnlyList<Body>? bodies = null)
    {
        if (inputs.Count < op.MinInputs || inputs.Count > op.MaxInputs)
        {
            var expected = op.MinInputs == op.MaxInputs ? $"{op.MinInputs}" : $"{op.MinInputs} to {op.MaxInputs}";
            throw new InferenceException($"{op.Type} takes {expected} inputs, {inputs.Count} were given.");
        }

        var node = new Node(op, inputs.ToArray(), Attributes.Create(op.Type, op.AttributeSpecs, attributes), bodies ?? [], null);
        node.Infer();
        return node;
    }

    public static Node CreateConstant(ConstantPayload payload)
    {
        var attributes = new Dictionary<string, object>
        {
            ["element_type"] = payload.Type,
            ["shape"] = payload.Shape,
        };
        var node = new Node(ConstantOp.Instance, [], Attributes.Create(ConstantOp.Instance.Type, ConstantOp.Instance.AttributeSpecs, attributes), [], payload);
        node.Infer();
        return node;
    }

    public static Node CreateConstant(Tensor value) => CreateConstant(new ConstantPayload(value));

    public static Node CreateConstant(ElementType type, long[] shape, TensorData data) => CreateConstant(new ConstantPayload(type, shape, data));

    public static Node CreateParameter(ElementType type, PartialShape shape, string name)
    {
        var node = Create(ParameterOp.Instance, [], new Dictionary<string, object> { ["shape"] = shape, ["element_type"] = type });
        node.Name = name;
        node.Outputs[0].Names.Add(name);
        return node;
    }

    public static Node CreateResult(Output value) => Create(ResultOp.Instance, [value]);

    public Output Output(int index = 0) => new(this, index);

    public Output Input(int index) => _inputs[index];

    /// <summary>Reconnects input <paramref name="index"/>; call <see cref="Infer"/> once all edits are done.</summary>
    public void SetInput(int index, Output source) => _inputs[index] = source;

    /// <summary>What inference can know about input <paramref name="index"/>: type, shape, constant value, symbolic value.</summary>
    public InferenceInput DescribeInput(int index)
    {
        var source = _inputs[index];
        var payload = source.Node.Constant;
        return new InferenceInput(source.Type, source.Shape, payload is null ? null : payload.TryGetValue, source.Port.SymbolicValue);
    }

    /// <summary>(Re)runs type and shape inference; output names survive.</summary>
    public void Infer()
    {
        var context = new InferenceContext(Op, Attributes, Enumerable.Range(0, _inputs.Length).Select(DescribeInput).ToArray(), Bodies);
        Op.Infer(context);
        if (_outputs.Length != context.OutputCount)
        {
            var previous = _outputs;
            _outputs = new OutputPort[context.OutputCount];
            for (var i = 0; i < _outputs.Length; i++)
            {
                var (type, shape) = context.Output(i);
                _outputs[i] = new OutputPort(type, shape);
                if (i < previous.Length)
                {
                    _outputs[i].Names.UnionWith(previous[i].Names);
                }
            }
        }

        for (var i = 0; i < _outputs.Length; i++)
        {
            var (type, shape) = context.Output(i);
            _outputs[i].Type = type;
            _outputs[i].Shape = shape;
            _outputs[i].SymbolicValue = context.SymbolicValue(i);
        }
    }

    public override string ToString() => $"{Type} '{Name}'";
}
