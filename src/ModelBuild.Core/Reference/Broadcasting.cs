using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>NumPy-style broadcasting of shapes, static and partial.</summary>
public static class Broadcasting
{
    /// <summary>The NumPy broadcast of two partial shapes, or null when they cannot broadcast.</summary>
    public static PartialShape? Numpy(PartialShape a, PartialShape b)
    {
        if (!a.IsRankStatic || !b.IsRankStatic)
        {
            return PartialShape.DynamicRank;
        }

        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dimension[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Rank ? Dimension.Of(1) : a[i - (rank - a.Rank)];
            var db = i < rank - b.Rank ? Dimension.Of(1) : b[i - (rank - b.Rank)];
            var dim = BroadcastDimension(da, db);
            if (dim is null)
            {
                return null;
            }

            dims[i] = dim.Value;
        }

        return PartialShape.Of(dims);
    }

    /// <summary>The NumPy broadcast of two static shapes; throws when they cannot broadcast.</summary>
    public static long[] Numpy(long[] a, long[] b)
    {
        var shape = Numpy(PartialShape.Static(a), PartialShape.Static(b))
            ?? throw new InferenceException($"Shapes {ShapeMath.Format(a)} and {ShapeMath.Format(b)} do not broadcast.");
        return shape.ToStatic();
    }

    /// <summary>
    /// For every element of <paramref name="outputShape"/>, the flat index of the element of a tensor of
    /// <paramref name="inputShape"/> that NumPy broadcasting maps to it (input aligned to the right).
    /// </summary>
    public static int[] IndexMap(long[] outputShape, long[] inputShape)
    {
        var offset = outputShape.Length - inputShape.Length;
        var inputStrides = ShapeMath.Strides(inputShape);
        var strides = new long[outputShape.Length];
        for (var i = 0; i < inputShape.Length; i++)
        {
            strides[i + offset] = inputShape[i] == 1 ? 0 : inputStrides[i];
        }

        return IndexMaps.Strided(outputShape, strides, 0);
    }

    /// <summary>True when the index map is the identity (no broadcasting needed).</summary>
    public static bool IsSameShape(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);

    private static Dimension? BroadcastDimension(Dimension a, Dimension b)
    {
        if (a == Dimension.Of(1))
        {
            return b;
        }

        if (b == Dimension.Of(1))
        {
            return a;
        }

        if (a.IsStatic && b.IsStatic)
        {
            return a.Length == b.Length ? a : null;
        }

        if (a.IsStatic)
        {
            return b.Contains(1) || b.Contains(a.Length) ? a : null;
        }

        if (b.IsStatic)
        {
            return a.Contains(1) || a.Contains(b.Length) ? b : null;
        }

        // Both dynamic: when one may be 1 at run time the other decides, so only loose bounds are known.
        return a.Contains(1) || b.Contains(1)
            ? new Dimension(Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max))
            : a.Merge(b);
    }
}
