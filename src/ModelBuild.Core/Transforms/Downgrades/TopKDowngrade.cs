using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// TopK-11 → TopK-3 (opset3) when the node does not need <c>stable</c>: TopK-3 leaves the order of equal values open,
/// which only shows in the indices, or in which values a sort by index picks. A stable TopK with k = 1 (ArgMax, ArgMin,
/// Hardmax) becomes its exact decomposition: the extreme value by ReduceMax/ReduceMin, and the lowest position holding it.
/// </summary>
internal static class TopKDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var needsStable = context.Attributes.GetBool("stable") && (context.IsUsed(1) || context.Attributes.GetString("sort") != "value");
        if (!needsStable)
        {
            return context.As(TopKOps.TopKV3);
        }

        if (context.Input(1).Node.Constant?.TryGetValue() is { ElementCount: 1 } k && k.GetInt64(0) == 1)
        {
            return FirstExtreme(context);
        }

        throw context.Refuse("equal values must keep their input order (stable), which TopK-3 does not promise, and k is not a constant 1");
    }

    private static IReadOnlyList<Output> FirstExtreme(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axis = context.Attributes.GetInt("axis");
        axis = axis < 0 ? axis + x.Shape.Rank : axis;
        var largest = context.Attributes.GetString("mode") == "max";
        var axes = b.Int64s(axis);
        var extreme = b.Make(largest ? Reductions.ReduceMax : Reductions.ReduceMin, [x, axes], ("keep_dims", true));

        // Positions along the axis, shaped to broadcast against x; where x is not the extreme, the axis length (past every position).
        var length = b.Dimension(x, axis);
        var positions = b.Reshape(b.Range(b.Reshape(length, b.Int64s(), specialZero: false)), [-1, .. Enumerable.Repeat(1L, x.Shape.Rank - 1 - (int)axis)]);
        var candidates = b.Select(b.Make(BinaryOps.Equal, [x, extreme]), positions, length);
        var first = b.Make(Reductions.ReduceMin, [candidates, axes], ("keep_dims", true));
        return [extreme, b.Convert(first, context.Attributes.GetElementType("index_element_type"))];
    }
}
