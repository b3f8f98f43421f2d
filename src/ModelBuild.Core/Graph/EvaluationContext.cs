namespace ModelBuild.Core.Graph;

/// <summary>
/// What an op's <see cref="OpDefinition.Evaluate"/> gets: the concrete inputs, the attributes, the
/// output types and shapes inference derived from those inputs, and a way to run subgraph bodies.
/// </summary>
public sealed class EvaluationContext
{
    private readonly IReadOnlyList<Tensor> _inputs;
    private readonly Func<Model, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> _runBody;
    private readonly Lazy<InferenceContext> _inference;

    public EvaluationContext(
        OpDefinition op,
        Attributes attributes,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Body> bodies,
        Func<Model, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> runBody,
        EvaluationBudget budget,
        ConstantPayload? constant = null)
    {
        Budget = budget;
        Op = op;
        Attributes = attributes;
        _inputs = inputs;
        Bodies = bodies;
        _runBody = runBody;
        Constant = constant;
        _inference = new Lazy<InferenceContext>(() =>
        {
            var context = new InferenceContext(op, attributes, inputs.Select(InferenceInput.FromTensor).ToArray(), bodies);
            op.Infer(context);
            return context;
        });
    }

    public OpDefinition Op { get; }

    public Attributes Attributes { get; }

    public IReadOnlyList<Body> Bodies { get; }

    /// <summary>What this evaluation may still compute; kernels that loop (Loop, TensorIterator) charge each iteration.</summary>
    public EvaluationBudget Budget { get; }

    /// <summary>The payload of a Const node.</summary>
    public ConstantPayload? Constant { get; }

    public int InputCount => _inputs.Count;

    public Tensor Input(int index) => _inputs[index];

    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>The static output shape inference derives from the concrete inputs.</summary>
    public long[] OutputShape(int index) => _inference.Value.Output(index).Shape.ToStatic();

    public ElementType OutputType(int index) => _inference.Value.Output(index).Type;

    /// <summary>The output shape inference derives from the concrete inputs; dynamic where it depends on the values (NonZero, Unique, Loop).</summary>
    public PartialShape InferredOutputShape(int index) => _inference.Value.Output(index).Shape;

    public int OutputCount => _inference.Value.OutputCount;

    /// <summary>Runs a body graph on the given Parameter values and returns its Result values.</summary>
    public IReadOnlyList<Tensor> RunBody(Model body, IReadOnlyList<Tensor> parameters) => _runBody(body, parameters);

    public InferenceException Error(string message) => new($"{Op.Type}: {message}");
}
