using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Element-wise binary ONNX ops: arithmetic, comparison, logic, and the variadic Sum/Mean/Max/Min.
/// Opset 7+ broadcasts NumPy-style; opsets 1–6 use the legacy <c>broadcast</c>/<c>axis</c> attributes.
/// </summary>
public static class ElementwiseTranslators
{
    public static IReadOnlyList<Output> Add(OnnxNodeContext context) => Binary(context, ArithmeticOps.Add);

    public static IReadOnlyList<Output> Sub(OnnxNodeContext context) => Binary(context, ArithmeticOps.Subtract);

    public static IReadOnlyList<Output> Mul(OnnxNodeContext context) => Binary(context, ArithmeticOps.Multiply);

    /// <summary>Integer division truncates toward zero in ONNX, so integer Divide gets <c>m_pythondiv=false</c>.</summary>
    public static IReadOnlyList<Output> Div(OnnxNodeContext context)
    {
        var (a, b) = BroadcastOperands(context);
        return [context.Graph.Divide(a, b)];
    }

    /// <summary>Pow allows an exponent of another type; OpenVINO's Power needs one type, the base's.</summary>
    public static IReadOnlyList<Output> Pow(OnnxNodeContext context)
    {
        var (a, b) = BroadcastOperands(context);
        return [context.Graph.Make(ArithmeticOps.Power, [a, context.Graph.Convert(b, a.Type)])];
    }

    /// <summary>Mod: <c>fmod=1</c> keeps the dividend's sign (Mod), <c>fmod=0</c> the divisor's (FloorMod).</summary>
    public static IReadOnlyList<Output> Mod(OnnxNodeContext context)
    {
        var fmod = context.GetInt("fmod", 0) == 1;
        var (a, b) = BroadcastOperands(context);
        if (!fmod && a.Type.IsFloatingPoint())
        {
            throw context.Error("fmod must be 1 for floating-point inputs");
        }

        return [context.Graph.Make(fmod ? ArithmeticOps.Mod : ArithmeticOps.FloorMod, [a, b])];
    }

    public static IReadOnlyList<Output> Equal(OnnxNodeContext context) => Binary(context, ComparisonOps.Equal);

    public static IReadOnlyList<Output> Less(OnnxNodeContext context) => Binary(context, ComparisonOps.Less);

    public static IReadOnlyList<Output> LessOrEqual(OnnxNodeContext context) => Binary(context, ComparisonOps.LessEqual);

    public static IReadOnlyList<Output> Greater(OnnxNodeContext context) => Binary(context, ComparisonOps.Greater);

    public static IReadOnlyList<Output> GreaterOrEqual(OnnxNodeContext context) => Binary(context, ComparisonOps.GreaterEqual);

    public static IReadOnlyList<Output> And(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalAnd);

    public static IReadOnlyList<Output> Or(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalOr);

    public static IReadOnlyList<Output> Xor(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalXor);

    public static IReadOnlyList<Output> Not(OnnxNodeContext context) => [context.Graph.Make(LogicalOps.LogicalNot, [context.Input(0)])];

    public static IReadOnlyList<Output> Sum(OnnxNodeContext context) => Variadic(context, ArithmeticOps.Add);

    public static IReadOnlyList<Output> Max(OnnxNodeContext context) => Variadic(context, ArithmeticOps.Maximum);

    public static IReadOnlyList<Output> Min(OnnxNodeContext context) => Variadic(context, ArithmeticOps.Minimum);

    public static IReadOnlyList<Output> Mean(OnnxNodeContext context)
    {
        var sum = Variadic(context, ArithmeticOps.Add)[0];
        var count = context.Graph.ScalarLike(sum, context.PresentInputs().Count);
        return [context.Graph.Divide(sum, count)];
    }

    private static IReadOnlyList<Output> Binary(OnnxNodeContext context, OpDefinition op)
    {
        var (a, b) = BroadcastOperands(context);
        return [context.Graph.Make(op, [a, b])];
    }

    // Sum/Max/Min take one or more inputs and broadcast them all (opset 8+; opset 6 needs equal shapes, which broadcasting accepts).
    private static IReadOnlyList<Output> Variadic(OnnxNodeContext context, OpDefinition op)
    {
        var inputs = context.PresentInputs();
        if (inputs.Count == 0)
        {
            throw context.Error("at least one input is required");
        }

        var result = inputs[0];
        foreach (var next in inputs.Skip(1))
        {
            result = context.Graph.Make(op, [result, next]);
        }

        return [result];
    }

    /// <summary>
    /// The two operands, with the legacy (opset &lt; 7) <c>broadcast=1</c> form turned into NumPy
    /// broadcasting: B's dims line up with A's starting at <c>axis</c> (default: aligned to the right).
    /// </summary>
    public static (Output A, Output B) BroadcastOperands(OnnxNodeContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        if (context.Opset >= 7 || context.GetInt("broadcast", 0) == 0 || !context.HasAttribute("axis"))
        {
            return (a, b);
        }

        if (!a.Shape.IsRankStatic || !b.Shape.IsRankStatic)
        {
            throw context.Error("legacy broadcasting with 'axis' needs inputs of known rank");
        }

        var axis = context.GetInt("axis");
        if (axis < 0)
        {
            axis += a.Shape.Rank;
        }

        var trailing = a.Shape.Rank - axis - b.Shape.Rank;
        if (trailing < 0)
        {
            throw context.Error($"axis {axis} does not leave room for the second input's {b.Shape.Rank} dimensions");
        }

        if (trailing > 0)
        {
            var axes = Enumerable.Range(b.Shape.Rank, (int)trailing).Select(i => (long)i).ToArray();
            b = context.Graph.Unsqueeze(b, axes);
        }

        return (a, b);
    }
}
