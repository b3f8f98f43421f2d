using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Convert-1: changes the element type (<c>destination_type</c>).</summary>
public sealed class ConvertOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("destination_type")];

    public ConvertOp()
        : base("Convert", 1, 1, 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var target = context.Attributes.GetElementType("destination_type");
        context.SetOutput(0, target, context.InputShape(0));
        if (target.IsInteger() && context.InputType(0).IsInteger() && context.Input(0).SymbolicValue is { } value)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).ConvertTo(context.Attributes.GetElementType("destination_type"))];
}

/// <summary>ConvertLike-1: converts the first input to the element type of the second.</summary>
public sealed class ConvertLikeOp : OpDefinition
{
    public ConvertLikeOp()
        : base("ConvertLike", 1, 2, 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context) => context.SetOutput(0, context.InputType(1), context.InputShape(0));

    public override Tensor[] Evaluate(EvaluationContext context) => [context.Input(0).ConvertTo(context.Input(1).Type)];
}

public static class ConversionOps
{
    public static readonly OpDefinition Convert = new ConvertOp();
    public static readonly OpDefinition ConvertLike = new ConvertLikeOp();
}
