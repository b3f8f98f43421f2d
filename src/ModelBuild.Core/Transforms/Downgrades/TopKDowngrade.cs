using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// TopK-11 → TopK-3 (opset3) when the node does not need <c>stable</c>: TopK-3 leaves the order of equal values open,
/// which only shows in the indices, or in which values a sort by index picks. A stable TopK with k = 1 (ArgMax, ArgMin,
/// Hardmax) becomes its exact decomposition: the extreme value by ReduceMax/ReduceMin, and the lowest position holding it.
/// Any other stable TopK over a short axis (at most <see cref="MaxRankedLength"/>, known at conversion) ranks every
/// element against every other — better values first, equal ones by position — and gathers the elements ranked 0..k−1;
/// that costs length² comparisons, so longer axes are refused.
/// </summary>
internal static class TopKDowngrade
{
    /// <summary>The longest axis ranked pairwise: 4096² booleans are 16 MiB per slice.</summary>
    public const long MaxRankedLength = 4096;

    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var needsStable = context.Attributes.GetBool("stable") && (context.IsUsed(1) || context.Attributes.GetString("sort") != "value");
        if (!needsStable)
        {
            return context.As(SortOps.TopKV3);
        }

        if (context.Input(1).Node.Constant?.TryGetValue() is { ElementCount: 1 } k && k.GetInt64(0) == 1)
        {
            return FirstExtreme(context);
        }

        var x = context.Input(0);
        var axis = context.Attributes.GetInt("axis");
        if (x.Shape.IsRankStatic && x.Shape[(int)(axis < 0 ? axis + x.Shape.Rank : axis)] is { IsStatic: true, Length: > 0 and <= MaxRankedLength })
        {
            return Ranked(context);
        }

        throw context.Refuse($"equal values must keep their input order (stable), which TopK-3 does not promise, and the axis is not known to be at most {MaxRankedLength} long to rank them pairwise");
    }

    private static IReadOnlyList<Output> Ranked(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var rank = x.Shape.Rank;
        var axis = context.Attributes.GetInt("axis") is var given && given < 0 ? given + rank : given;
        var length = x.Shape[(int)axis].Length;
        var k = b.Reshape(b.Convert(context.Input(1), ElementType.I64), b.Int64s(), specialZero: false);

        // rank_i = #{j: x_j better than x_i} + #{j < i: x_j = x_i}, with i along the axis and j along a new one after it.
        var xi = b.Unsqueeze(x, axis + 1);
        var xj = b.Unsqueeze(x, axis);
        var better = b.Make(context.Attributes.GetString("mode") == "max" ? ComparisonOps.Greater : ComparisonOps.Less, [xj, xi]);
        var before = Tensor.FromArray([.. Enumerable.Range(0, (int)(length * length)).Select(n => n % length < n / length)], length, length);
        var earlierEqual = b.Make(LogicalOps.LogicalAnd, [b.Make(ComparisonOps.Equal, [xj, xi]), b.Reshape(b.Constant(before), AroundAxis(axis, rank + 1, length, length))]);
        var ranks = b.Make(ReductionOps.ReduceSum, [b.Convert(b.Make(LogicalOps.LogicalOr, [better, earlierEqual]), ElementType.I64), b.Int64s(axis + 1)], ("keep_dims", false));

        // The output slot of each element: its rank, or with sort by index its place among the selected (−1: not selected).
        var slots = ranks;
        if (context.Attributes.GetString("sort") == "index")
        {
            var selected = b.Make(ComparisonOps.Less, [ranks, k]);
            var place = b.Make(ArithmeticOps.CumSum, [b.Convert(selected, ElementType.I64), b.Int64(axis)], ("exclusive", true), ("reverse", false));
            slots = b.Select(selected, place, b.Int64(-1));
        }

        // indices_r = Σ_i i·[slot_i = r] for r < k, with r along the axis and i along a new one after it.
        var wanted = b.Reshape(b.Range(k), AroundAxis(axis, rank + 1, -1, 1));
        var positions = b.Reshape(b.Int64Range(0, length), AroundAxis(axis, rank + 1, 1, length));
        var matches = b.Make(ComparisonOps.Equal, [b.Unsqueeze(slots, axis), wanted]);
        var indices = b.Make(ReductionOps.ReduceSum, [b.Select(matches, positions, b.Int64(0)), b.Int64s(axis + 1)], ("keep_dims", false));
        var values = b.Make(MovementOps.GatherElements, [x, indices], ("axis", axis));
        return [values, b.Convert(indices, context.Attributes.GetElementType("index_element_type"))];
    }

    // A shape of ones but <paramref name="atAxis"/> and <paramref name="afterAxis"/> at axis and axis + 1.
    private static long[] AroundAxis(long axis, int rank, long atAxis, long afterAxis) =>
        [.. Enumerable.Range(0, rank).Select(d => d == axis ? atAxis : d == axis + 1 ? afterAxis : 1L)];

    private static IReadOnlyList<Output> FirstExtreme(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axis = context.Attributes.GetInt("axis");
        axis = axis < 0 ? axis + x.Shape.Rank : axis;
        var largest = context.Attributes.GetString("mode") == "max";
        var axes = b.Int64s(axis);
        var extreme = b.Make(largest ? ReductionOps.ReduceMax : ReductionOps.ReduceMin, [x, axes], ("keep_dims", true));

        // Positions along the axis, shaped to broadcast against x; where x is not the extreme, the axis length (past every position).
        var length = b.Dimension(x, axis);
        var positions = b.Reshape(b.Range(b.Reshape(length, b.Int64s(), specialZero: false)), [-1, .. Enumerable.Repeat(1L, x.Shape.Rank - 1 - (int)axis)]);
        var candidates = b.Select(b.Make(ComparisonOps.Equal, [x, extreme]), positions, length);
        var first = b.Make(ReductionOps.ReduceMin, [candidates, axes], ("keep_dims", true));
        return [extreme, b.Convert(first, context.Attributes.GetElementType("index_element_type"))];
    }
}
