namespace ModelBuild.Core.Graph;

/// <summary>What inference may know about one input: type, shape, maybe its value.</summary>
public sealed class InferenceInput
{
    private readonly Func<Tensor?>? _value;
    private Tensor? _cached;
    private bool _evaluated;

    public InferenceInput(ElementType type, PartialShape shape, Func<Tensor?>? value = null, PartialShape? symbolicValue = null)
    {
        Type = type;
        Shape = shape;
        _value = value;
        SymbolicValue = symbolicValue;
    }

    public ElementType Type { get; }

    public PartialShape Shape { get; }

    public PartialShape? SymbolicValue { get; }

    public static InferenceInput FromTensor(Tensor tensor) => new(tensor.Type, tensor.PartialShape, () => tensor);

    /// <summary>The value, when the input is a constant (small enough to materialize).</summary>
    public Tensor? Value
    {
        get
        {
            if (!_evaluated)
            {
                _cached = _value?.Invoke();
                _evaluated = true;
            }

            return _cached;
        }
    }
}

/// <summary>
/// The view an op's <see cref="OpDefinition.Infer"/> gets: attributes, what is known about each
/// input, and where to put output types and shapes. The same context type serves graph building
/// (inputs are ports, some constant) and evaluation (every input is a concrete tensor).
/// </summary>
public sealed class InferenceContext
{
    private readonly IReadOnlyList<InferenceInput> _inputs;
    private readonly List<(ElementType Type, PartialShape Shape)?> _outputs = [];
    private readonly Dictionary<int, PartialShape> _symbolicValues = [];

    public InferenceContext(OpDefinition op, Attributes attributes, IReadOnlyList<InferenceInput> inputs, IReadOnlyList<Body>? bodies = null)
    {
        Op = op;
        Attributes = attributes;
        _inputs = inputs;
        Bodies = bodies ?? [];
    }

    public OpDefinition Op { get; }

    public Attributes Attributes { get; }

    public IReadOnlyList<Body> Bodies { get; }

    public int InputCount => _inputs.Count;

    public int OutputCount => _outputs.Count;

    public InferenceInput Input(int index) => _inputs[index];

    public ElementType InputType(int index) => _inputs[index].Type;

    public PartialShape InputShape(int index) => _inputs[index].Shape;

    /// <summary>The input's value when it is constant, else null.</summary>
    public Tensor? InputValue(int index) => _inputs[index].Value;

    /// <summary>
    /// The input's value as a list of dimensions, for shape-like inputs (0-D/1-D integers): from the
    /// constant value when known (negative entries are not dimensions, so then null), else from symbolic propagation.
    /// </summary>
    public PartialShape? InputAsShape(int index)
    {
        var input = _inputs[index];
        if (input.SymbolicValue is not null)
        {
            return input.SymbolicValue;
        }

        var value = input.Type.IsInteger() && input.Shape.IsRankStatic && input.Shape.Rank <= 1 ? input.Value : null;
        if (value is null)
        {
            return null;
        }

        var dims = value.ToInt64Array();
        return Array.TrueForAll(dims, d => d >= 0) ? PartialShape.Static(dims) : null;
    }

    public void SetOutput(int index, ElementType type, PartialShape shape)
    {
        while (_outputs.Count <= index)
        {
            _outputs.Add(null);
        }

        _outputs[index] = (type, shape);
    }

    /// <summary>Records what is known of an integer output's value (see <see cref="OutputPort.SymbolicValue"/>).</summary>
    public void SetSymbolicValue(int index, PartialShape value) => _symbolicValues[index] = value;

    public (ElementType Type, PartialShape Shape) Output(int index) =>
        _outputs[index] ?? throw new InvalidOperationException($"{Op} did not set output {index}.");

    public PartialShape? SymbolicValue(int index) => _symbolicValues.GetValueOrDefault(index);

    public InferenceException Error(string message) => new($"{Op.Type}: {message}");

    public void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw Error(message);
        }
    }
}
