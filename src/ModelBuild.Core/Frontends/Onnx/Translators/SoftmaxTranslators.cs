using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Softmax, LogSoftmax, Hardmax and TopK. Before opset 13 the softmax family "coerces the input to
/// 2-D": it works on [d0·…·d(axis−1), d(axis)·…·d(n−1)] (default axis 1), i.e. over all axes from
/// <c>axis</c> on at once. From opset 13 it works along the single <c>axis</c> (default −1).
/// </summary>
public static class SoftmaxTranslators
{
    public static IReadOnlyList<Output> Softmax(OnnxNodeContext context) =>
        [AlongAxis(context, (b, x, axis) => b.Make(ActivationOps.SoftMax, [x], ("axis", axis)))];

    public static IReadOnlyList<Output> LogSoftmax(OnnxNodeContext context) =>
        [AlongAxis(context, (b, x, axis) => b.Make(ActivationOps.LogSoftmax, [x], ("axis", axis)))];

    /// <summary>Hardmax: 1 at the first maximum along the axis, 0 elsewhere.</summary>
    public static IReadOnlyList<Output> Hardmax(OnnxNodeContext context) =>
        [AlongAxis(context, (b, x, axis) =>
        {
            var first = ReductionTranslators.FirstExtremeIndex(b, x, axis, largest: true);
            return b.Convert(b.Make(ComparisonOps.Equal, [ReductionTranslators.PositionsAlong(context, x, axis), first]), x.Type);
        })];

    /// <summary>
    /// TopK: k is an attribute in opset 1 and a one-element input since 10; opset 11 adds
    /// <c>largest</c> and <c>sorted</c>. Equal values come out in index order, as ONNX requires.
    /// </summary>
    public static IReadOnlyList<Output> TopK(OnnxNodeContext context)
    {
        var b = context.Graph;
        var k = context.Opset < 10
            ? b.Int64(context.GetInt("k"))
            : b.Reshape(b.Convert(context.Input(1), ElementType.I64), b.Int64s(), specialZero: false);
        var largest = context.Opset < 11 || context.GetInt("largest", 1) != 0;
        var sorted = context.Opset < 11 || context.GetInt("sorted", 1) != 0;
        var outputs = b.MakeMulti(SortOps.TopK, [context.Input(0), k],
            ("axis", context.GetInt("axis", -1)), ("mode", largest ? "max" : "min"), ("sort", sorted ? "value" : "none"),
            ("index_element_type", ElementType.I64), ("stable", true));
        return [outputs[0], outputs[1]];
    }

    /// <summary>Applies <paramref name="apply"/> along the node's axis, with the pre-13 coerce-to-2-D semantics where they differ.</summary>
    private static Output AlongAxis(OnnxNodeContext context, Func<GraphBuilder, Output, long, Output> apply)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var modern = context.Opset >= 13;
        var axis = context.GetInt("axis", modern ? -1 : 1);
        if (modern || axis == -1)
        {
            return apply(b, x, axis);
        }

        if (!x.Shape.IsRankStatic)
        {
            throw context.Error($"coercing to 2-D at axis {axis} needs an input of known rank");
        }

        var rank = x.Shape.Rank;
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw context.Error($"axis {axis} is out of range for rank {rank}");
        }

        // Over the last axis both semantics agree.
        if (normalized == rank - 1)
        {
            return apply(b, x, axis);
        }

        var flat = b.Flatten(x, (int)normalized);
        return b.Reshape(apply(b, flat, 1), b.ShapeOf(x));
    }
}
