using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Reduce* and ArgMax/ArgMin. Reduction axes are an attribute before opset 13 (ReduceSum) or 18
/// (the others) and an optional input since, hence two versions of each Reduce* (<c>ReduceSumV1</c>,
/// <c>ReduceSumV13</c>); missing or empty axes mean all axes, unless <c>noop_with_empty_axes</c> is
/// set. OpenVINO's Reduce ops reduce nothing for an empty axes list, so "all axes" is always passed
/// explicitly. Boolean ReduceMax/ReduceMin (opset 20) become logical reductions.
/// </summary>
public static class ReductionTranslators
{
    public static IReadOnlyList<Output> ReduceSumV1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceSum, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceSumV13(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceSum, AxesInput)];

    public static IReadOnlyList<Output> ReduceMeanV1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMean, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceMeanV18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMean, AxesInput)];

    public static IReadOnlyList<Output> ReduceMaxV1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMax, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceMaxV18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMax, AxesInput)];

    public static IReadOnlyList<Output> ReduceMinV1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMin, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceMinV18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceMin, AxesInput)];

    public static IReadOnlyList<Output> ReduceProdV1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceProd, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceProdV18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceProd, AxesInput)];

    public static IReadOnlyList<Output> ReduceL1V1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceL1, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceL1V18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceL1, AxesInput)];

    public static IReadOnlyList<Output> ReduceL2V1(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceL2, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceL2V18(OnnxNodeContext context) => [Reduce(context, ReductionOps.ReduceL2, AxesInput)];

    public static IReadOnlyList<Output> ReduceLogSumV1(OnnxNodeContext context) => [ReduceLogSum(context, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceLogSumV18(OnnxNodeContext context) => [ReduceLogSum(context, AxesInput)];

    public static IReadOnlyList<Output> ReduceSumSquareV1(OnnxNodeContext context) => [ReduceSumSquare(context, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceSumSquareV18(OnnxNodeContext context) => [ReduceSumSquare(context, AxesInput)];

    public static IReadOnlyList<Output> ReduceLogSumExpV1(OnnxNodeContext context) => [ReduceLogSumExp(context, AxesAttribute)];

    public static IReadOnlyList<Output> ReduceLogSumExpV18(OnnxNodeContext context) => [ReduceLogSumExp(context, AxesInput)];

    /// <summary>ArgMax: the index of the first (or, with select_last_index, last) maximum along <c>axis</c>.</summary>
    public static IReadOnlyList<Output> ArgMax(OnnxNodeContext context) => [ArgExtreme(context, largest: true)];

    /// <summary>ArgMin: the index of the first (or, with select_last_index, last) minimum along <c>axis</c>.</summary>
    public static IReadOnlyList<Output> ArgMin(OnnxNodeContext context) => [ArgExtreme(context, largest: false)];

    /// <summary>
    /// The positions 0..n−1 along <paramref name="axis"/> of <paramref name="x"/> as i64, shaped
    /// [n, 1, …, 1] so they broadcast along that axis of x. A negative axis works for any rank.
    /// </summary>
    internal static Output PositionsAlong(OnnxNodeContext context, Output x, long axis)
    {
        if (axis >= 0 && !x.Shape.IsRankStatic)
        {
            throw context.Error($"axis {axis} needs an input of known rank (or count from the end)");
        }

        var b = context.Graph;
        var trailing = axis < 0 ? -axis - 1 : x.Shape.Rank - 1 - axis;
        var length = b.Gather(b.ShapeOf(x), b.Int64(axis), 0);
        var positions = b.Range(length);
        return b.Reshape(positions, [-1, .. Enumerable.Repeat(1L, (int)trailing)]);
    }

    /// <summary>TopK with k = 1 and stable ties gives the first extreme; its indices output, along the axis kept.</summary>
    internal static Output FirstExtremeIndex(GraphBuilder b, Output x, long axis, bool largest) =>
        b.MakeMulti(SortOps.TopK, [x, b.Int64(1)],
            ("axis", axis), ("mode", largest ? "max" : "min"), ("sort", "none"), ("index_element_type", ElementType.I64), ("stable", true))[1];

    /// <summary>A Reduce* that maps to one OpenVINO op (its logical counterpart for boolean ReduceMax/ReduceMin).</summary>
    private static Output Reduce(OnnxNodeContext context, OpDefinition op, Func<OnnxNodeContext, Output?> givenAxes)
    {
        var x = context.Input(0);
        var reduction = x.Type != ElementType.Boolean ? op
            : op == ReductionOps.ReduceMax ? ReductionOps.ReduceLogicalOr
            : op == ReductionOps.ReduceMin ? ReductionOps.ReduceLogicalAnd
            : throw context.Error("boolean input is only supported by ReduceMax and ReduceMin");
        return Make(context, reduction, x, Axes(context, givenAxes, x));
    }

    /// <summary>ReduceLogSum = Log(ReduceSum(x)).</summary>
    private static Output ReduceLogSum(OnnxNodeContext context, Func<OnnxNodeContext, Output?> givenAxes)
    {
        var x = context.Input(0);
        return context.Graph.Make(ArithmeticOps.Log, [Make(context, ReductionOps.ReduceSum, x, Axes(context, givenAxes, x))]);
    }

    /// <summary>ReduceSumSquare = ReduceSum(x·x).</summary>
    private static Output ReduceSumSquare(OnnxNodeContext context, Func<OnnxNodeContext, Output?> givenAxes)
    {
        var x = context.Input(0);
        return Make(context, ReductionOps.ReduceSum, context.Graph.Multiply(x, x), Axes(context, givenAxes, x));
    }

    /// <summary>
    /// ReduceLogSumExp = m + Log(ReduceSum(Exp(x − m))) with m the maximum over the reduced axes, so
    /// large inputs do not overflow. Infinite maxima are replaced by 0 (they would turn x − m into NaN).
    /// </summary>
    private static Output ReduceLogSumExp(OnnxNodeContext context, Func<OnnxNodeContext, Output?> givenAxes)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axes = Axes(context, givenAxes, x);
        var max = b.Make(ReductionOps.ReduceMax, [x, axes], ("keep_dims", true));
        max = b.Select(b.Make(ComparisonOps.IsFinite, [max]), max, b.ScalarLike(max, 0));
        var sum = Make(context, ReductionOps.ReduceSum, b.Make(ActivationOps.Exp, [b.Subtract(x, max)]), axes);

        // Without keepdims the reduced (length-1) axes of the maximum go too.
        var shift = KeepDims(context) ? max : b.Make(ReductionOps.ReduceMax, [max, axes], ("keep_dims", false));
        return b.Add(b.Make(ArithmeticOps.Log, [sum]), shift);
    }

    private static Output ArgExtreme(OnnxNodeContext context, bool largest)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axis = context.GetInt("axis", 0);
        var keepDims = KeepDims(context);
        if (context.GetInt("select_last_index", 0) == 0)
        {
            var first = FirstExtremeIndex(b, x, axis, largest);
            return keepDims ? first : b.Squeeze(first, axis);
        }

        // The last extreme: the largest position whose value equals the extreme (others count as −1).
        var axes = b.Int64s(axis);
        var extreme = b.Make(largest ? ReductionOps.ReduceMax : ReductionOps.ReduceMin, [x, axes], ("keep_dims", true));
        var candidates = b.Select(b.Make(ComparisonOps.Equal, [x, extreme]), PositionsAlong(context, x, axis), b.Int64(-1));
        return b.Make(ReductionOps.ReduceMax, [candidates, axes], ("keep_dims", keepDims));
    }

    private static bool KeepDims(OnnxNodeContext context) => context.GetInt("keepdims", 1) != 0;

    private static Output Make(OnnxNodeContext context, OpDefinition op, Output x, Output axes) =>
        context.Graph.Make(op, [x, axes], ("keep_dims", KeepDims(context)));

    /// <summary>The axes attribute (before opset 13 for ReduceSum, 18 for the others).</summary>
    private static Output? AxesAttribute(OnnxNodeContext context) =>
        context.GetInts("axes") is { } values ? context.Graph.Int64s(values) : null;

    /// <summary>The optional axes input (opset 13 for ReduceSum, 18 for the others).</summary>
    private static Output? AxesInput(OnnxNodeContext context) =>
        context.OptionalInput(1) is { } input ? context.Graph.Convert(input, ElementType.I64) : null;

    /// <summary>The axes to reduce as an i64 tensor (empty when the node reduces nothing).</summary>
    private static Output Axes(OnnxNodeContext context, Func<OnnxNodeContext, Output?> givenAxes, Output data)
    {
        var b = context.Graph;
        var noop = context.GetInt("noop_with_empty_axes", 0) != 0;
        var axes = givenAxes(context);
        var length = axes?.Shape is { IsStatic: true, Rank: 1 } shape ? shape[0].Length : (long?)null;
        if (axes is null || length == 0)
        {
            return noop ? b.Int64s() : AllAxes(b, data);
        }

        // With noop_with_empty_axes an empty list at run time reduces nothing, as OpenVINO does too.
        return noop || length > 0 ? axes.Value : AllAxesWhenEmpty(b, axes.Value, data);
    }

    private static Output AllAxes(GraphBuilder b, Output data)
    {
        if (data.Shape.IsRankStatic)
        {
            return b.Int64Range(0, data.Shape.Rank);
        }

        var rank = b.Gather(b.ShapeOf(b.ShapeOf(data)), b.Int64(0), 0);
        return b.Range(rank);
    }

    /// <summary>
    /// Axes whose count is only known at run time: the first n entries of [axes, 0..rank−1], where n
    /// is the number of axes given, or the rank when none are.
    /// </summary>
    private static Output AllAxesWhenEmpty(GraphBuilder b, Output axes, Output data)
    {
        var all = AllAxes(b, data);
        var given = b.ShapeOf(axes);
        var count = b.Select(b.Make(ComparisonOps.Equal, [given, b.Int64s(0)]), b.ShapeOf(all), given);
        var positions = b.Range(b.Gather(count, b.Int64(0), 0));
        return b.Gather(b.Concat([axes, all], 0), positions, 0);
    }
}
