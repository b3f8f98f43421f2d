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

/// <summary>
/// How the operands of a NumPy-broadcasting element-wise op line up with its output, for loops that fill the
/// output in contiguous runs instead of reading an index map per element. Output axes of length 1 are dropped and
/// neighbouring axes merged wherever every operand steps through them alike; each operand has a stride per
/// merged axis (0 where it repeats). The last merged axis then has stride 1 or 0 in every operand, so a run along
/// it reads each operand either contiguously or as one repeated value: [N, C, H, W] + [1, C, 1, 1] becomes runs of
/// H·W elements against one bias value each.
/// </summary>
public sealed class BroadcastPlan
{
    private readonly long[] _outer;
    private readonly long[][] _strides;

    public BroadcastPlan(long[] outputShape, params long[][] operandShapes)
    {
        Count = ShapeMath.ElementCount(outputShape);
        var axes = new List<(long Length, long[] Strides)>();
        for (var axis = 0; axis < outputShape.Length; axis++)
        {
            if (outputShape[axis] != 1)
            {
                axes.Add((outputShape[axis], operandShapes.Select(shape => OperandStride(shape, outputShape.Length, axis)).ToArray()));
            }
        }

        // Merge an axis into the next one when every operand's stride across it continues the next axis's steps.
        for (var axis = axes.Count - 2; axis >= 0; axis--)
        {
            var (length, strides) = axes[axis];
            var next = axes[axis + 1];
            if (strides.Select((stride, i) => stride == next.Strides[i] * next.Length).All(continues => continues))
            {
                axes[axis + 1] = (length * next.Length, next.Strides);
                axes.RemoveAt(axis);
            }
        }

        if (axes.Count == 0)
        {
            axes.Add((1, new long[operandShapes.Length]));
        }

        RunLength = axes[^1].Length;
        RunStrides = axes[^1].Strides.Select(s => (int)s).ToArray();
        _outer = axes.Take(axes.Count - 1).Select(a => a.Length).ToArray();
        _strides = Enumerable.Range(0, operandShapes.Length).Select(i => axes.Take(axes.Count - 1).Select(a => a.Strides[i]).ToArray()).ToArray();
    }

    /// <summary>Output elements.</summary>
    public long Count { get; }

    /// <summary>The length of the runs: the last merged axis.</summary>
    public long RunLength { get; }

    /// <summary>Per operand, its stride along a run: 1 (contiguous) or 0 (one value repeated).</summary>
    public IReadOnlyList<int> RunStrides { get; }

    /// <summary>Where run <paramref name="run"/> (output elements run·RunLength onwards) starts in operand <paramref name="operand"/>.</summary>
    public long RunStart(int operand, long run)
    {
        var strides = _strides[operand];
        long offset = 0;
        for (var axis = _outer.Length - 1; axis >= 0 && run > 0; axis--)
        {
            offset += run % _outer[axis] * strides[axis];
            run /= _outer[axis];
        }

        return offset;
    }

    // The contiguous stride of an operand (aligned to the right of the output) along an output axis; 0 where it broadcasts.
    private static long OperandStride(long[] shape, int outputRank, int outputAxis)
    {
        var axis = outputAxis - (outputRank - shape.Length);
        if (axis < 0 || shape[axis] == 1)
        {
            return 0;
        }

        long stride = 1;
        for (var i = axis + 1; i < shape.Length; i++)
        {
            stride *= shape[i];
        }

        return stride;
    }
}
