using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>Clamp-1: min/max bounds; for integer inputs min rounds up and max rounds down.</summary>
    public static readonly OpDefinition Clamp = new UnaryOp("Clamp", version: 1, UnaryInputs.Numeric, EvaluateClamp,
        [AttributeSpec.Float("min"), AttributeSpec.Float("max")]);

    private static Tensor EvaluateClamp(EvaluationContext context)
    {
        var x = context.Input(0);
        var min = context.Attributes.GetFloat("min");
        var max = context.Attributes.GetFloat("max");
        if (x.Type.IsInteger())
        {
            min = Math.Ceiling(min);
            max = Math.Floor(max);
        }

        return UnaryOp.MapDoubles(x, v => double.IsNaN(v) ? v : Math.Min(Math.Max(v, min), max));
    }
}
