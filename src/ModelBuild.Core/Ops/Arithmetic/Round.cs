using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ArithmeticOps
{
    /// <summary>Round-5: <c>half_to_even</c> or <c>half_away_from_zero</c>.</summary>
    public static readonly OpDefinition Round = new UnaryOp("Round", version: 5, UnaryInputs.Numeric, EvaluateRound,
        [AttributeSpec.String("mode", "half_to_even")]);

    private static Tensor EvaluateRound(EvaluationContext context)
    {
        var x = context.Input(0);
        if (!x.Type.IsFloatingPoint())
        {
            return x;
        }

        var mode = context.Attributes.GetString("mode") == "half_away_from_zero" ? MidpointRounding.AwayFromZero : MidpointRounding.ToEven;
        return UnaryOp.MapDoubles(x, v => Math.Round(v, mode));
    }
}
