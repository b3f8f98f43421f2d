namespace ModelBuild.Core.Graph;

/// <summary>A model input. Its value comes from the caller; it cannot be folded or evaluated.</summary>
public sealed class ParameterOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Shape("shape"), AttributeSpec.Type("element_type")];

    private ParameterOp()
        : base("Parameter", 1, 0, 0)
    {
    }

    public static ParameterOp Instance { get; } = new();

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool IsFoldable => false;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context) =>
        context.SetOutput(0, context.Attributes.GetElementType("element_type"), context.Attributes.GetShape("shape"));

    public override Tensor[] Evaluate(EvaluationContext context) =>
        throw new InvalidOperationException("Parameters are bound by the evaluator, not evaluated.");
}

/// <summary>A constant (IR type <c>Const</c>): element type and shape as attributes, data in the .bin.</summary>
public sealed class ConstantOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("element_type"), AttributeSpec.Ints("shape")];

    private ConstantOp()
        : base("Const", 1, 0, 0)
    {
    }

    public static ConstantOp Instance { get; } = new();

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool IsConstant => true;

    public override bool IsFoldable => false;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context) =>
        context.SetOutput(0, context.Attributes.GetElementType("element_type"), PartialShape.Static(context.Attributes.GetInts("shape")));

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [(context.Constant ?? throw context.Error("a Const node without payload")).GetValue()];
}

/// <summary>A model output.</summary>
public sealed class ResultOp : OpDefinition
{
    private ResultOp()
        : base("Result", 1, 1, 1)
    {
    }

    public static ResultOp Instance { get; } = new();

    public override bool IsFoldable => false;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context) => context.SetOutput(0, context.InputType(0), context.InputShape(0));

    public override Tensor[] Evaluate(EvaluationContext context) => [context.Input(0)];
}
