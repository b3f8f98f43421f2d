using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Element-wise binary ONNX ops: arithmetic, comparison, logic, and the variadic Sum/Mean/Max/Min.
/// Opset 7+ broadcasts NumPy-style; opsets 1–6 use the legacy <c>broadcast</c>/<c>axis</c> attributes,
/// so the ops of opset 1 have a version for each (<c>AddV1</c>, <c>AddV7</c>).
/// </summary>
public static class ElementwiseTranslators
{
    public static IReadOnlyList<Output> AddV1(OnnxNodeContext context) => Binary(context, ArithmeticOps.Add, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> AddV7(OnnxNodeContext context) => Binary(context, ArithmeticOps.Add, Operands(context));

    public static IReadOnlyList<Output> SubV1(OnnxNodeContext context) => Binary(context, ArithmeticOps.Subtract, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> SubV7(OnnxNodeContext context) => Binary(context, ArithmeticOps.Subtract, Operands(context));

    public static IReadOnlyList<Output> MulV1(OnnxNodeContext context) => Binary(context, ArithmeticOps.Multiply, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> MulV7(OnnxNodeContext context) => Binary(context, ArithmeticOps.Multiply, Operands(context));

    public static IReadOnlyList<Output> DivV1(OnnxNodeContext context) => Divide(context, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> DivV7(OnnxNodeContext context) => Divide(context, Operands(context));

    public static IReadOnlyList<Output> PowV1(OnnxNodeContext context) => Power(context, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> PowV7(OnnxNodeContext context) => Power(context, Operands(context));

    /// <summary>Mod: <c>fmod=1</c> keeps the dividend's sign (Mod), <c>fmod=0</c> the divisor's (FloorMod).</summary>
    public static IReadOnlyList<Output> Mod(OnnxNodeContext context)
    {
        var fmod = context.GetInt("fmod", 0) == 1;
        var (a, b) = Operands(context);
        if (!fmod && a.Type.IsFloatingPoint())
        {
            throw context.Error("fmod must be 1 for floating-point inputs");
        }

        return [context.Graph.Make(fmod ? ArithmeticOps.Mod : ArithmeticOps.FloorMod, [a, b])];
    }

    public static IReadOnlyList<Output> EqualV1(OnnxNodeContext context) => Binary(context, ComparisonOps.Equal, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> EqualV7(OnnxNodeContext context) => Binary(context, ComparisonOps.Equal, Operands(context));

    public static IReadOnlyList<Output> LessV1(OnnxNodeContext context) => Binary(context, ComparisonOps.Less, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> LessV7(OnnxNodeContext context) => Binary(context, ComparisonOps.Less, Operands(context));

    public static IReadOnlyList<Output> LessOrEqual(OnnxNodeContext context) => Binary(context, ComparisonOps.LessEqual, Operands(context));

    public static IReadOnlyList<Output> GreaterV1(OnnxNodeContext context) => Binary(context, ComparisonOps.Greater, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> GreaterV7(OnnxNodeContext context) => Binary(context, ComparisonOps.Greater, Operands(context));

    public static IReadOnlyList<Output> GreaterOrEqual(OnnxNodeContext context) => Binary(context, ComparisonOps.GreaterEqual, Operands(context));

    public static IReadOnlyList<Output> AndV1(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalAnd, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> AndV7(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalAnd, Operands(context));

    public static IReadOnlyList<Output> OrV1(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalOr, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> OrV7(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalOr, Operands(context));

    public static IReadOnlyList<Output> XorV1(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalXor, LegacyBroadcastOperands(context));

    public static IReadOnlyList<Output> XorV7(OnnxNodeContext context) => Binary(context, LogicalOps.LogicalXor, Operands(context));

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

    private static IReadOnlyList<Output> Binary(OnnxNodeContext context, OpDefinition op, (Output A, Output B) operands) =>
        [context.Graph.Make(op, [operands.A, operands.B])];

    /// <summary>Integer division truncates toward zero in ONNX, so integer Divide gets <c>m_pythondiv=false</c>.</summary>
    private static IReadOnlyList<Output> Divide(OnnxNodeContext context, (Output A, Output B) operands) =>
        [context.Graph.Divide(operands.A, operands.B)];

    /// <summary>Pow allows an exponent of another type; OpenVINO's Power needs one type, the base's.</summary>
    private static IReadOnlyList<Output> Power(OnnxNodeContext context, (Output A, Output B) operands) =>
        [context.Graph.Make(ArithmeticOps.Power, [operands.A, context.Graph.Convert(operands.B, operands.A.Type)])];

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

    /// <summary>The two operands, which broadcast NumPy-style (opset 7+).</summary>
    private static (Output A, Output B) Operands(OnnxNodeContext context) => (context.Input(0), context.Input(1));

    /// <summary>
    /// The two operands, with the legacy (opset &lt; 7) <c>broadcast=1</c> form turned into NumPy
    /// broadcasting: B's dims line up with A's starting at <c>axis</c> (default: aligned to the right).
    /// </summary>
    private static (Output A, Output B) LegacyBroadcastOperands(OnnxNodeContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        if (context.GetInt("broadcast", 0) == 0 || !context.HasAttribute("axis"))
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

        if (axis < 0 || axis > a.Shape.Rank)
        {
            throw context.Error($"axis {context.GetInt("axis")} is outside the first input's {a.Shape.Rank} dimensions");
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
