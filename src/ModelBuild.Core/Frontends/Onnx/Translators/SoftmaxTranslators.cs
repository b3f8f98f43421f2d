using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Softmax, LogSoftmax, Hardmax and TopK. Before opset 13 the softmax family "coerces the input to
/// 2-D" (<c>SoftmaxV1</c>): it works on [d0·…·d(axis−1), d(axis)·…·d(n−1)] (default axis 1), i.e.
/// over all axes from <c>axis</c> on at once. From opset 13 (<c>SoftmaxV13</c>) it works along the
/// single <c>axis</c> (default −1).
/// </summary>
public static class SoftmaxTranslators
{
    public static IReadOnlyList<Output> SoftmaxV1(OnnxNodeContext context) => [CoercedTo2D(context, Softmax)];

    public static IReadOnlyList<Output> SoftmaxV13(OnnxNodeContext context) => [AlongAxis(context, Softmax)];

    public static IReadOnlyList<Output> LogSoftmaxV1(OnnxNodeContext context) => [CoercedTo2D(context, LogSoftmax)];

    public static IReadOnlyList<Output> LogSoftmaxV13(OnnxNodeContext context) => [AlongAxis(context, LogSoftmax)];

    public static IReadOnlyList<Output> HardmaxV1(OnnxNodeContext context) => [CoercedTo2D(context, Hardmax(context))];

    public static IReadOnlyList<Output> HardmaxV13(OnnxNodeContext context) => [AlongAxis(context, Hardmax(context))];

    /// <summary>TopK-1: k is an attribute; the largest values come out sorted.</summary>
    public static IReadOnlyList<Output> TopKV1(OnnxNodeContext context)
    {
        var k = context.Graph.Int64(context.GetInt("k"));
        return TopK(context, k, largest: true, sorted: true);
    }

    /// <summary>TopK-10: k is a one-element input; the largest values come out sorted.</summary>
    public static IReadOnlyList<Output> TopKV10(OnnxNodeContext context) => TopK(context, KInput(context), largest: true, sorted: true);

    /// <summary>TopK-11 and later: <c>largest</c> and <c>sorted</c> attributes.</summary>
    public static IReadOnlyList<Output> TopKV11(OnnxNodeContext context)
    {
        var k = KInput(context);
        var largest = context.GetInt("largest", 1) != 0;
        var sorted = context.GetInt("sorted", 1) != 0;
        return TopK(context, k, largest, sorted);
    }

    private static Output Softmax(GraphBuilder b, Output x, long axis) => b.Make(ActivationOps.SoftMax, [x], ("axis", axis));

    private static Output LogSoftmax(GraphBuilder b, Output x, long axis) => b.Make(ActivationOps.LogSoftmax, [x], ("axis", axis));

    /// <summary>Hardmax: 1 at the first maximum along the axis, 0 elsewhere.</summary>
    private static Func<GraphBuilder, Output, long, Output> Hardmax(OnnxNodeContext context) => (b, x, axis) =>
    {
        var first = ReductionTranslators.FirstExtremeIndex(b, x, axis, largest: true);
        return b.Convert(b.Make(ComparisonOps.Equal, [ReductionTranslators.PositionsAlong(context, x, axis), first]), x.Type);
    };

    private static Output KInput(OnnxNodeContext context)
    {
        var b = context.Graph;
        return b.Reshape(b.Convert(context.Input(1), ElementType.I64), b.Int64s(), specialZero: false);
    }

    /// <summary>TopK-11 with stable ties: equal values come out in index order, as ONNX requires.</summary>
    private static IReadOnlyList<Output> TopK(OnnxNodeContext context, Output k, bool largest, bool sorted)
    {
        var outputs = context.Graph.MakeMulti(SortOps.TopK, [context.Input(0), k],
            ("axis", context.GetInt("axis", -1)), ("mode", largest ? "max" : "min"), ("sort", sorted ? "value" : "none"),
            ("index_element_type", ElementType.I64), ("stable", true));
        return [outputs[0], outputs[1]];
    }

    /// <summary>Applies <paramref name="apply"/> along the node's <c>axis</c> (opset 13 and later, default −1).</summary>
    private static Output AlongAxis(OnnxNodeContext context, Func<GraphBuilder, Output, long, Output> apply)
    {
        var x = context.Input(0);
        return apply(context.Graph, x, context.GetInt("axis", -1));
    }

    /// <summary>
    /// Applies <paramref name="apply"/> with the coerce-to-2-D semantics before opset 13 (default axis 1):
    /// over the flattened trailing axes where they differ from applying it along the axis.
    /// </summary>
    private static Output CoercedTo2D(OnnxNodeContext context, Func<GraphBuilder, Output, long, Output> apply)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axis = context.GetInt("axis", 1);
        if (axis == -1)
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
