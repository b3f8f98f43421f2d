using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ComparisonOps
{
    public static readonly OpDefinition IsInf = new UnaryOp("IsInf", version: 10, UnaryInputs.Float, EvaluateIsInf,
        [AttributeSpec.Bool("detect_negative", true), AttributeSpec.Bool("detect_positive", true)], ElementType.Boolean);

    private static Tensor EvaluateIsInf(EvaluationContext context)
    {
        var negative = context.Attributes.GetBool("detect_negative");
        var positive = context.Attributes.GetBool("detect_positive");
        return UnaryOp.MapToBoolean(context.Input(0), v => (negative && double.IsNegativeInfinity(v)) || (positive && double.IsPositiveInfinity(v)));
    }
}
