using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Convert-1: changes the element type (<c>destination_type</c>).</summary>
public sealed class ConvertOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("destination_type")];

    public ConvertOp()
        : base("Convert", version: 1, minInputs: 1, maxInputs: 1)
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

public static partial class TypeOps
{
    public static readonly OpDefinition Convert = new ConvertOp();
}
