using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>Gelu-7: <c>approximation_mode</c> ERF (exact) or TANH.</summary>
    public static readonly OpDefinition Gelu = new UnaryOp("Gelu", version: 7, UnaryInputs.Float, EvaluateGelu,
        [AttributeSpec.String("approximation_mode", "ERF")]);

    private static Tensor EvaluateGelu(EvaluationContext context)
    {
        var tanh = context.Attributes.GetString("approximation_mode").Equals("TANH", StringComparison.OrdinalIgnoreCase);
        var sqrtTwoOverPi = Math.Sqrt(2 / Math.PI);
        return UnaryOp.MapDoubles(context.Input(0), x => tanh
            ? 0.5 * x * (1 + Math.Tanh(sqrtTwoOverPi * (x + 0.044715 * x * x * x)))
            : 0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2))));
    }
}
