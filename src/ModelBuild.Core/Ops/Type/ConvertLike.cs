using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>ConvertLike-1: converts the first input to the element type of the second.</summary>
public sealed class ConvertLikeOp : OpDefinition
{
    public ConvertLikeOp()
        : base("ConvertLike", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context) => context.SetOutput(0, context.InputType(1), context.InputShape(0));

    public override Tensor[] Evaluate(EvaluationContext context) => [context.Input(0).ConvertTo(context.Input(1).Type)];
}

public static partial class TypeOps
{
    public static readonly OpDefinition ConvertLike = new ConvertLikeOp();
}
