using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>
/// Flat-index maps for data-movement kernels: for each element of an output, the flat index of the
/// source element. Used with <see cref="Tensor.Remap"/>.
/// </summary>
public static class IndexMaps
{
    /// <summary>
    /// The map of a strided view: output element at multi-index (i0, i1, ...) reads source index
    /// <c>offset + Σ ik·strides[k]</c>. Strides may be 0 (broadcast) or negative (reversed slices).
    /// </summary>
    public static int[] Strided(long[] outputShape, long[] strides, long offset)
    {
        var count = checked((int)ShapeMath.ElementCount(outputShape));
        var map = new int[count];
        var rank = outputShape.Length;
        var index = new long[rank];
        var flat = offset;
        for (var n = 0; n < count; n++)
        {
            map[n] = checked((int)flat);

            // Advance the multi-index like an odometer, keeping the source offset in step.
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                index[axis]++;
                flat += strides[axis];
                if (index[axis] < outputShape[axis])
                {
                    break;
                }

                flat -= strides[axis] * index[axis];
                index[axis] = 0;
            }
        }

        return map;
    }

    /// <summary>
    /// The map of a gather that works axis by axis (tile, pad, reverse): output element (i0, i1, ...)
    /// reads the source element at coordinates (<paramref name="sourceCoordinates"/>[0][i0],
    /// <paramref name="sourceCoordinates"/>[1][i1], ...) of a tensor of <paramref name="sourceShape"/>.
    /// A coordinate of -1 means "no source element" (padding); such elements map to -1.
    /// </summary>
    public static int[] AxisWise(long[] outputShape, long[][] sourceCoordinates, long[] sourceShape)
    {
        var rank = outputShape.Length;
        var strides = ShapeMath.Strides(sourceShape);
        var offsets = new long[rank][];
        for (var axis = 0; axis < rank; axis++)
        {
            offsets[axis] = Array.ConvertAll(sourceCoordinates[axis], c => c < 0 ? -1 : c * strides[axis]);
        }

        var count = checked((int)ShapeMath.ElementCount(outputShape));
        var map = new int[count];
        var index = new long[rank];
        for (var n = 0; n < count; n++)
        {
            long flat = 0;
            for (var axis = 0; axis < rank && flat >= 0; axis++)
            {
                var offset = offsets[axis][index[axis]];
                flat = offset < 0 ? -1 : flat + offset;
            }

            map[n] = checked((int)flat);
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                if (++index[axis] < outputShape[axis])
                {
                    break;
                }

                index[axis] = 0;
            }
        }

        return map;
    }

    /// <summary>The map of a transpose: output axis i is input axis <paramref name="order"/>[i].</summary>
    public static int[] Transpose(long[] inputShape, IReadOnlyList<int> order, out long[] outputShape)
    {
        var inputStrides = ShapeMath.Strides(inputShape);
        outputShape = new long[order.Count];
        var strides = new long[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            outputShape[i] = inputShape[order[i]];
            strides[i] = inputStrides[order[i]];
        }

        return Strided(outputShape, strides, 0);
    }

    /// <summary>
    /// The map of a reduction: for each element of <paramref name="shape"/>, the flat index of its
    /// group in the reduced shape (the shape with <paramref name="axes"/> set to 1, returned in
    /// <paramref name="reducedShape"/>). Elements that differ only along the axes share a group.
    /// </summary>
    public static int[] Reduction(long[] shape, IReadOnlySet<int> axes, out long[] reducedShape)
    {
        reducedShape = shape.Select((d, i) => axes.Contains(i) ? 1L : d).ToArray();
        var strides = ShapeMath.Strides(reducedShape);
        foreach (var axis in axes)
        {
            strides[axis] = 0;
        }

        return Strided(shape, strides, 0);
    }
}
