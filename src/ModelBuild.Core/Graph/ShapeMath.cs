namespace ModelBuild.Core.Graph;

/// <summary>Arithmetic on static shapes (row-major, C order).</summary>
public static class ShapeMath
{
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            count = checked(count * dim);
        }

        return count;
    }

    /// <summary>Row-major strides in elements.</summary>
    public static long[] Strides(ReadOnlySpan<long> shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }

        return strides;
    }

    /// <summary>Normalizes an axis that may count from the end; throws when it is out of range.</summary>
    public static int NormalizeAxis(long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= Math.Max(rank, 1))
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for rank {rank}.");
        }

        return (int)normalized;
    }

    public static string Format(ReadOnlySpan<long> shape) => $"[{string.Join(",", shape.ToArray())}]";
}
