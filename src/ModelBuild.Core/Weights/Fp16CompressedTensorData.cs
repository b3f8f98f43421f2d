using System.Buffers;
using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Weights;

/// <summary>
/// An f32 or f64 payload seen as f16: bytes are converted chunk by chunk while the .bin is written
/// ("postponed" compression, as ovc does), so no f16 copy of the weights is ever held. Values beyond
/// ±65504 clamp; a chunk without any is converted without the clamping pass. The values f16 cannot hold are
/// counted on the way (<see cref="OutOfRangeSeen"/>), so the write that converts a constant also tells whether
/// compressing it was right.
/// </summary>
public sealed class Fp16CompressedTensorData : TensorData
{
    private readonly TensorData _source;
    private readonly int _sourceElementSize;
    private readonly Lock _tallyLock = new();
    private OutOfRange _tally;

    // The offset the next read must start at to extend the tally; negative once reads left the sequence.
    private long _tallyEnd = -1;

    public Fp16CompressedTensorData(TensorData source, ElementType sourceType)
    {
        if (sourceType is not (ElementType.F32 or ElementType.F64))
        {
            throw new ArgumentException($"Only f32 and f64 payloads are compressed to f16, not {sourceType.IrName()}.", nameof(sourceType));
        }

        _source = source;
        _sourceElementSize = sourceType == ElementType.F32 ? 4 : 8;
        Length = source.Length / _sourceElementSize * 2;
    }

    public override long Length { get; }

    /// <summary>The source's element count.</summary>
    public long ElementCount => Length / 2;

    /// <summary>
    /// The values f16 cannot hold, counted by the reads that last went through the whole payload in order from
    /// its start (as the .bin writer reads it); null if no read sequence covered it.
    /// </summary>
    public OutOfRange? OutOfRangeSeen
    {
        get
        {
            lock (_tallyLock)
            {
                return _tallyEnd == Length ? _tally : null;
            }
        }
    }

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset % 2 != 0 || destination.Length % 2 != 0)
        {
            throw new ArgumentException("f16 payloads are read in whole elements.");
        }

        var count = destination.Length / 2;
        var sourceBytes = ArrayPool<byte>.Shared.Rent(count * _sourceElementSize);
        try
        {
            var source = sourceBytes.AsSpan(0, count * _sourceElementSize);
            _source.Read(offset / 2 * _sourceElementSize, source);
            var halves = MemoryMarshal.Cast<byte, Half>(destination);
            var outOfRange = _sourceElementSize == 4
                ? ConvertChunk(MemoryMarshal.Cast<byte, float>(source), halves)
                : ConvertChunk(MemoryMarshal.Cast<byte, double>(source), halves);
            Tally(offset, destination.Length, outOfRange);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sourceBytes);
        }
    }

    private static OutOfRange ConvertChunk(ReadOnlySpan<float> source, Span<Half> halves)
    {
        var outOfRange = Fp16Kernels.CountOutOfRange(source);
        if (outOfRange.Overflow == 0)
        {
            Fp16Kernels.ConvertInRange(source, halves);
            return outOfRange;
        }

        var scratch = ArrayPool<float>.Shared.Rent(source.Length);
        try
        {
            Fp16Kernels.Convert(source, halves, scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }

        return outOfRange;
    }

    private static OutOfRange ConvertChunk(ReadOnlySpan<double> source, Span<Half> halves)
    {
        Fp16Kernels.Convert(source, halves);
        return Fp16Kernels.CountOutOfRange(source);
    }

    private void Tally(long offset, int length, OutOfRange outOfRange)
    {
        lock (_tallyLock)
        {
            if (offset == 0)
            {
                (_tally, _tallyEnd) = (default, 0);
            }

            if (offset == _tallyEnd)
            {
                (_tally, _tallyEnd) = (_tally + outOfRange, _tallyEnd + length);
            }
            else
            {
                _tallyEnd = -1;
            }
        }
    }
}
