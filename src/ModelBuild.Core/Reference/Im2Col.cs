using System.Numerics;

namespace ModelBuild.Core.Reference;

/// <summary>
/// Turns a sliding-window op into a matrix product (im2col) and back (col2im). The columns matrix of a grid of
/// window placements has one row per (channel, kernel tap) and one column per placement: row (c, t), column p
/// holds the element of channel c that tap t of window p reads, or zero where the tap falls in the padding.
/// A convolution is then filters [C_out × C_in·taps] times columns; a transposed convolution computes the
/// columns from its input and adds them back into the output grid (<see cref="ScatterAdd{T}"/>).
/// </summary>
public sealed class Im2Col
{
    /// <summary>The most elements a chunk of columns holds.</summary>
    private const int ColumnsBudget = 1 << 22;

    /// <summary>Source offsets, tap-major: entry t·Positions + p is where tap t of placement p reads, negative in the padding.</summary>
    private readonly int[] _sources;

    public Im2Col(WindowMap map, int sourcePlane)
    {
        Taps = map.TapCount;
        Positions = map.PositionCount;
        _sources = new int[Taps * Positions];
        var offsets = new int[Taps];
        var identity = Taps == 1 && Positions == sourcePlane;
        for (var p = 0; p < Positions; p++)
        {
            map.Fill(p, offsets);
            for (var t = 0; t < Taps; t++)
            {
                _sources[t * Positions + p] = offsets[t];
            }

            identity &= offsets[0] == p;
        }

        IsIdentity = identity;
    }

    public int Taps { get; }

    public int Positions { get; }

    /// <summary>
    /// True when the columns matrix is the source itself (a 1×1 kernel with unit strides and no padding): the
    /// source planes can be multiplied as they are.
    /// </summary>
    public bool IsIdentity { get; }

    /// <summary>
    /// How many placements a chunk of columns of <paramref name="rows"/> rows covers: a multiple of 64, at most
    /// 4 Mi elements (16 MiB of f32) unless one chunk of 64 needs more, so columns stay bounded on large images.
    /// </summary>
    public int ChunkLength(int rows) => Math.Clamp(ColumnsBudget / Math.Max(rows, 1) / 64 * 64, 64, Math.Max(Positions, 64));

    /// <summary>
    /// Fills <paramref name="columns"/> (row-major, [channels·taps × count]) with the columns of placements
    /// <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1, reading
    /// <paramref name="channels"/> planes of <paramref name="plane"/> elements from <paramref name="source"/> at
    /// <paramref name="sourceOffset"/>. Rows are filled in parallel.
    /// </summary>
    public void Gather<T>(T[] source, int sourceOffset, int channels, int plane, T[] columns, int first, int count)
        where T : unmanaged, INumber<T>
    {
        ParallelRows(channels * Taps, count, row =>
        {
            var channelOffset = sourceOffset + row / Taps * plane;
            var sources = _sources.AsSpan(row % Taps * Positions + first, count);
            var target = columns.AsSpan(row * count, count);
            for (var j = 0; j < sources.Length; j++)
            {
                target[j] = sources[j] >= 0 ? source[channelOffset + sources[j]] : T.Zero;
            }
        });
    }

    /// <summary>
    /// The reverse of <see cref="Gather{T}"/>: adds every element of <paramref name="columns"/> ([channels·taps × count],
    /// placements <paramref name="first"/> onwards) into the element of <paramref name="target"/> its tap reads;
    /// taps in the padding are dropped. Channels are processed in parallel (each owns its plane).
    /// </summary>
    public void ScatterAdd<T>(T[] columns, int first, int count, T[] target, int targetOffset, int channels, int plane)
        where T : unmanaged, INumber<T>
    {
        ParallelRows(channels, count * Taps, channel =>
        {
            var channelOffset = targetOffset + channel * plane;
            for (var t = 0; t < Taps; t++)
            {
                var sources = _sources.AsSpan(t * Positions + first, count);
                var values = columns.AsSpan((channel * Taps + t) * count, count);
                for (var j = 0; j < sources.Length; j++)
                {
                    if (sources[j] >= 0)
                    {
                        target[channelOffset + sources[j]] += values[j];
                    }
                }
            }
        });
    }

    // Rows of little work run on the calling thread; many elements are spread over all cores.
    private static void ParallelRows(int rows, int elementsPerRow, Action<int> row)
    {
        if ((long)rows * elementsPerRow < 1 << 16)
        {
            for (var i = 0; i < rows; i++)
            {
                row(i);
            }
        }
        else
        {
            Parallel.For(0, rows, row);
        }
    }
}
