using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Activation functions; OpenVINO has no LeakyRelu, Celu, ThresholdedRelu or Shrink op, so those are composed.</summary>
public static class ActivationTranslators
{
    /// <summary>LeakyRelu(alpha=0.01) is PReLU with a one-element slope.</summary>
    public static IReadOnlyList<Output> LeakyRelu(OnnxNodeContext context)
    {
        var x = context.Input(0);
        // A one-element slope would broadcast a scalar input to [1]: a scalar's slope is a scalar.
        long[] slopeShape = x.Shape.IsRankStatic && x.Shape.Rank == 0 ? [] : [1];
        var slope = context.Graph.Constant(Tensor.FromDoubles(x.Type, [context.GetFloat("alpha", 0.01f)], slopeShape));
        return [context.Graph.Make(ActivationOps.PRelu, [x, slope])];
    }

    /// <summary>PRelu-1 and 6: a 1-D slope is per channel (axis 1), not aligned to the right.</summary>
    public static IReadOnlyList<Output> PReluV1(OnnxNodeContext context)
    {
        var (x, slope) = PReluOperands(context);
        if (x.Shape.IsRankStatic && slope.Shape.IsRankStatic && slope.Shape.Rank == 1 && x.Shape.Rank >= 2)
        {
            var trailing = Enumerable.Range(1, x.Shape.Rank - 2).Select(i => (long)i).ToArray();
            slope = trailing.Length == 0 ? slope : context.Graph.Unsqueeze(slope, trailing);
        }

        return [PRelu(context, x, slope)];
    }

    /// <summary>PRelu-7 and later: the slope broadcasts NumPy-style (aligned to the right).</summary>
    public static IReadOnlyList<Output> PReluV7(OnnxNodeContext context)
    {
        var (x, slope) = PReluOperands(context);
        return [PRelu(context, x, slope)];
    }

    public static IReadOnlyList<Output> Elu(OnnxNodeContext context) =>
        [context.Graph.Make(ActivationOps.Elu, [context.Input(0)], ("alpha", (double)context.GetFloat("alpha", 1.0f)))];

    public static IReadOnlyList<Output> Selu(OnnxNodeContext context)
    {
        var x = context.Input(0);
        var alpha = context.Graph.ScalarLike(x, context.GetFloat("alpha", 1.67326319217681884765625f));
        var gamma = context.Graph.ScalarLike(x, context.GetFloat("gamma", 1.05070102214813232421875f));
        return [context.Graph.Make(ActivationOps.Selu, [x, alpha, gamma])];
    }

    /// <summary>Celu(x) = max(0, x) + min(0, alpha·(exp(x/alpha) − 1)).</summary>
    public static IReadOnlyList<Output> Celu(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var alpha = b.ScalarLike(x, context.GetFloat("alpha", 1.0f));
        var elu = b.Make(ActivationOps.Elu, [b.Divide(x, alpha)], ("alpha", 1.0));
        return [b.Multiply(alpha, elu)];
    }

    public static IReadOnlyList<Output> HardSigmoid(OnnxNodeContext context)
    {
        var x = context.Input(0);
        var alpha = context.Graph.ScalarLike(x, context.GetFloat("alpha", 0.2f));
        var beta = context.Graph.ScalarLike(x, context.GetFloat("beta", 0.5f));
        return [context.Graph.Make(ActivationOps.HardSigmoid, [x, alpha, beta])];
    }

    /// <summary>ThresholdedRelu(x) = x where x &gt; alpha, else 0.</summary>
    public static IReadOnlyList<Output> ThresholdedRelu(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var mask = b.Make(ComparisonOps.Greater, [x, b.ScalarLike(x, context.GetFloat("alpha", 1.0f))]);
        return [b.Select(mask, x, b.ScalarLike(x, 0))];
    }

    /// <summary>Shrink: x − bias where x &gt; lambd, x + bias where x &lt; −lambd, else 0.</summary>
    public static IReadOnlyList<Output> Shrink(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var lambd = context.GetFloat("lambd", 0.5f);
        var bias = context.GetFloat("bias", 0.0f);
        var above = b.Make(ComparisonOps.Greater, [x, b.ScalarLike(x, lambd)]);
        var below = b.Make(ComparisonOps.Less, [x, b.ScalarLike(x, -lambd)]);
        var zero = b.ScalarLike(x, 0);
        var lower = b.Select(below, b.Add(x, b.ScalarLike(x, bias)), zero);
        return [b.Select(above, b.Subtract(x, b.ScalarLike(x, bias)), lower)];
    }

    /// <summary>Gelu-20: <c>approximate</c> "none" (erf) or "tanh".</summary>
    public static IReadOnlyList<Output> Gelu(OnnxNodeContext context)
    {
        var mode = context.GetString("approximate", "none") == "tanh" ? "TANH" : "ERF";
        return [context.Graph.Make(ActivationOps.Gelu, [context.Input(0)], ("approximation_mode", mode))];
    }

    /// <summary>Clip-1 and 6: the bounds are attributes; they become Clamp.</summary>
    public static IReadOnlyList<Output> ClipV1(OnnxNodeContext context)
    {
        var x = context.Input(0);
        return [Clamp(context.Graph, x, context.GetFloat("min", float.MinValue), context.GetFloat("max", float.MaxValue))];
    }

    /// <summary>
    /// Clip-11 and later: the bounds are optional inputs. Constant bounds become Clamp; bounds
    /// computed at run time become Maximum/Minimum.
    /// </summary>
    public static IReadOnlyList<Output> ClipV11(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var min = context.OptionalInput(1);
        var max = context.OptionalInput(2);
        var minValue = min is null ? null : OnnxNodeContext.ConstantValue(min.Value);
        var maxValue = max is null ? null : OnnxNodeContext.ConstantValue(max.Value);
        if ((min is null || minValue is not null) && (max is null || maxValue is not null))
        {
            return [Clamp(b, x, minValue?.GetDouble(0) ?? double.MinValue, maxValue?.GetDouble(0) ?? double.MaxValue)];
        }

        var result = x;
        if (min is not null)
        {
            result = b.Make(ArithmeticOps.Maximum, [result, b.Convert(min.Value, x.Type)]);
        }

        if (max is not null)
        {
            result = b.Make(ArithmeticOps.Minimum, [result, b.Convert(max.Value, x.Type)]);
        }

        return [result];
    }

    /// <summary>The data and its slope, converted to the data's type.</summary>
    private static (Output X, Output Slope) PReluOperands(OnnxNodeContext context)
    {
        var x = context.Input(0);
        return (x, context.Graph.Convert(context.Input(1), x.Type));
    }

    /// <summary>
    /// PReLU, the slope broadcast NumPy-style as ONNX does. OpenVINO reads a 1-D slope whose length is the data's axis 1
    /// as per-channel (axis 1) and any other slope NumPy-style, so only a 1-D slope that may be so read, on data of rank 3
    /// or more, is given the data's rank first.
    /// </summary>
    private static Output PRelu(OnnxNodeContext context, Output x, Output slope)
    {
        if (x.Shape.IsRankStatic && x.Shape.Rank > 2 && slope.Shape is { IsRankStatic: true, Rank: 1 } && MayReadPerChannel(x.Shape, slope.Shape[0]))
        {
            slope = context.Graph.Make(ShapeOps.Unsqueeze, [slope, context.Graph.Int64Range(0, x.Shape.Rank - 1)]);
        }

        return context.Graph.Make(ActivationOps.PRelu, [x, slope]);
    }

    private static bool MayReadPerChannel(PartialShape x, Dimension slopeLength) =>
        !(slopeLength.IsStatic && (slopeLength.Length == 1 || (x[1].IsStatic && x[1].Length != slopeLength.Length)));

    private static Output Clamp(GraphBuilder builder, Output x, double min, double max)
    {
        // Bounds beyond the input type's range would not survive the round trip through IR text.
        var (lowest, highest) = TypeRange(x.Type);
        return builder.Make(ActivationOps.Clamp, [x], ("min", Math.Max(min, lowest)), ("max", Math.Min(max, highest)));
    }

    private static (double Lowest, double Highest) TypeRange(ElementType type) => type switch
    {
        ElementType.F16 => (-65504, 65504),
        ElementType.F32 or ElementType.BF16 => (float.MinValue, float.MaxValue),
        ElementType.I8 => (sbyte.MinValue, sbyte.MaxValue),
        ElementType.U8 => (byte.MinValue, byte.MaxValue),
        ElementType.I16 => (short.MinValue, short.MaxValue),
        ElementType.U16 => (ushort.MinValue, ushort.MaxValue),
        ElementType.I32 => (int.MinValue, int.MaxValue),
        ElementType.U32 => (uint.MinValue, uint.MaxValue),
        ElementType.U64 => (0, ulong.MaxValue),
        _ => (double.MinValue, double.MaxValue),
    };
}
