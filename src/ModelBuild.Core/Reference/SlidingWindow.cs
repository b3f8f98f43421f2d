using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>OpenVINO's <c>auto_pad</c> values for sliding-window ops (convolutions, pooling).</summary>
public enum PadType
{
    Explicit,
    SameUpper,
    SameLower,
    Valid,
}

/// <summary>
/// Geometry of sliding-window ops along one spatial axis: padding and output lengths, as the
/// OpenVINO specifications of Convolution, pooling and their backprop forms define them.
/// </summary>
public static class SlidingWindow
{
    /// <summary>Parses an IR <c>auto_pad</c> value (OpenVINO also reads "notset" as explicit).</summary>
    public static PadType ParsePadType(string autoPad) => autoPad.ToLowerInvariant() switch
    {
        "explicit" or "notset" => PadType.Explicit,
        "same_upper" => PadType.SameUpper,
        "same_lower" => PadType.SameLower,
        "valid" => PadType.Valid,
        _ => throw new InferenceException($"auto_pad '{autoPad}' is not one of explicit, same_upper, same_lower, valid."),
    };

    /// <summary>The extent of a kernel of <paramref name="kernel"/> taps spaced <paramref name="dilation"/> apart.</summary>
    public static long Dilated(long kernel, long dilation) => (kernel - 1) * dilation + 1;

    /// <summary>
    /// The (begin, end) padding of a forward window op (Convolution, pooling) on an axis of known
    /// length. The same_* modes pad so that the output has ceil(input / stride) positions; an odd
    /// total puts the extra element at the end (same_upper) or the beginning (same_lower).
    /// </summary>
    public static (long Begin, long End) ForwardPads(PadType type, long input, long kernel, long stride, long dilation, long explicitBegin, long explicitEnd)
    {
        switch (type)
        {
            case PadType.Explicit:
                return (explicitBegin, explicitEnd);
            case PadType.Valid:
                return (0, 0);
            default:
                var outputs = (input + stride - 1) / stride;
                var total = Math.Max(0, (outputs - 1) * stride + Dilated(kernel, dilation) - input);
                var half = total / 2;
                return type == PadType.SameUpper ? (half, total - half) : (total - half, half);
        }
    }

    /// <summary>
    /// The output length of a forward window op: ⌊ or ⌈(input + pads − dilated kernel) / stride⌉ + 1,
    /// or ceil(input / stride) for the same_* modes. Null when the kernel does not fit a static input.
    /// </summary>
    public static Dimension? ForwardOutput(Dimension input, PadType type, long kernel, long stride, long dilation, long padBegin, long padEnd, bool ceil)
    {
        if (type is PadType.SameUpper or PadType.SameLower)
        {
            return input.CeilDivide(stride);
        }

        if (type == PadType.Valid)
        {
            padBegin = padEnd = 0;
        }

        var extent = Dilated(kernel, dilation) - padBegin - padEnd;
        if (input.IsStatic)
        {
            var span = input.Length - extent;
            if (span < 0)
            {
                return null;
            }

            return (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        }

        var shifted = extent >= 0 ? input - extent : input + (-extent);
        return (ceil ? shifted.CeilDivide(stride) : shifted.FloorDivide(stride)) + 1;
    }

    /// <summary>
    /// The (begin, end) padding of a backprop (transposed) convolution given its output length, for
    /// the same_* modes: the total is split so the larger half is at the beginning for same_upper
    /// and at the end for same_lower. Negative totals are clamped to zero.
    /// </summary>
    public static (long Begin, long End) BackpropPads(PadType type, long input, long kernel, long stride, long dilation, long outputPadding, long output)
    {
        var total = Math.Max(0, (input - 1) * stride + Dilated(kernel, dilation) - output + outputPadding);
        var half = total / 2;
        return type == PadType.SameUpper ? (total - half, half) : (half, total - half);
    }

    /// <summary>The output length of a backprop convolution from its pads: stride·(input − 1) + dilated kernel − pads + output padding.</summary>
    public static Dimension BackpropOutput(Dimension input, long kernel, long stride, long dilation, long padBegin, long padEnd, long outputPadding)
    {
        var adjust = Dilated(kernel, dilation) - padBegin - padEnd + outputPadding;
        var scaled = (input - 1) * stride;
        return adjust >= 0 ? scaled + adjust : scaled - (-adjust);
    }
}

/// <summary>
/// Where the taps of a window read: for each position of a grid of window placements and each
/// kernel tap, the flat offset into a source grid, or a negative marker — -1 when the tap falls in
/// the padding, -2 when it falls beyond it (the overhang ceil rounding creates). Forward ops place
/// windows over the output grid and read the input; backprop ops place them over the input grid and
/// write the output. Per-axis tables keep the cost per position to a pass over the taps.
/// </summary>
public sealed class WindowMap
{
    private const int InPadding = -1;
    private const int BeyondPadding = -2;

    private readonly long[] _kernel;
    private readonly long[] _positions;
    private readonly long[] _sourceStrides;
    private readonly int[][] _coordinates;

    /// <param name="source">Spatial shape of the grid the taps land in.</param>
    /// <param name="positions">Spatial shape of the grid of window placements.</param>
    /// <param name="kernel">Taps per axis.</param>
    /// <param name="strides">Placement step per axis.</param>
    /// <param name="dilations">Tap spacing per axis.</param>
    /// <param name="padsBegin">Padding before the source on each axis (tap 0 of position 0 lands at −padsBegin).</param>
    /// <param name="padsEnd">Padding after the source on each axis.</param>
    public WindowMap(long[] source, long[] positions, long[] kernel, long[] strides, long[] dilations, long[] padsBegin, long[] padsEnd)
    {
        _kernel = kernel;
        _positions = positions;
        _sourceStrides = ShapeMath.Strides(source);
        _coordinates = new int[source.Length][];
        for (var axis = 0; axis < source.Length; axis++)
        {
            var table = new int[positions[axis] * kernel[axis]];
            for (long p = 0; p < positions[axis]; p++)
            {
                for (long k = 0; k < kernel[axis]; k++)
                {
                    var coordinate = p * strides[axis] + k * dilations[axis] - padsBegin[axis];
                    table[p * kernel[axis] + k] = coordinate >= 0 && coordinate < source[axis] ? (int)coordinate
                        : coordinate >= -padsBegin[axis] && coordinate < source[axis] + padsEnd[axis] ? InPadding
                        : BeyondPadding;
                }
            }

            _coordinates[axis] = table;
        }

        TapCount = checked((int)ShapeMath.ElementCount(kernel));
        PositionCount = checked((int)ShapeMath.ElementCount(positions));
    }

    public int TapCount { get; }

    public int PositionCount { get; }

    /// <summary>Whether a marker written by <see cref="Fill"/> stands for a tap in the padding (as opposed to beyond it).</summary>
    public static bool IsPadding(int offset) => offset == InPadding;

    /// <summary>Writes the source offset (or a negative marker) of every tap of <paramref name="position"/>, taps in row-major kernel order.</summary>
    public void Fill(int position, Span<int> offsets)
    {
        var rank = _kernel.Length;
        Span<int> placement = stackalloc int[rank];
        Span<int> tap = stackalloc int[rank];
        var rest = (long)position;
        for (var axis = rank - 1; axis >= 0; axis--)
        {
            placement[axis] = (int)(rest % _positions[axis]);
            rest /= _positions[axis];
        }

        for (var t = 0; t < TapCount; t++)
        {
            long offset = 0;
            var marker = 0;
            for (var axis = 0; axis < rank; axis++)
            {
                var coordinate = _coordinates[axis][placement[axis] * _kernel[axis] + tap[axis]];
                if (coordinate < 0)
                {
                    marker = Math.Min(marker, coordinate);
                }
                else
                {
                    offset += coordinate * _sourceStrides[axis];
                }
            }

            offsets[t] = marker < 0 ? marker : (int)offset;

            for (var axis = rank - 1; axis >= 0; axis--)
            {
                if (++tap[axis] < _kernel[axis])
                {
                    break;
                }

                tap[axis] = 0;
            }
        }
    }
}
