using System.Buffers;
using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Weights;

/// <summary>
/// An f32 or f64 payload seen as f16: bytes are converted chunk by chunk while the .bin is written
/// ("postponed" compression, as ovc does), so no f16 copy of the weights is ever held.
/// </summary>
public sealed class Fp16CompressedTensorData : TensorData
{
    private readonly TensorData _source;
    private readonly int _sourceElementSize;
    private readonly bool _needsClamping;

    /// <param name="needsClamping">False when no value exceeds ±65504 (the clamping pass is then skipped).</param>
    public Fp16CompressedTensorData(TensorData source, ElementType sourceType, bool needsClamping = true)
    {
        if (sourceType is not (ElementType.F32 or ElementType.F64))
        {
            throw new ArgumentException($"Only f32 and f64 payloads are compressed to f16, not {sourceType.IrName()}.", nameof(sourceType));
        }

        _source = source;
        _sourceElementSize = sourceType == ElementType.F32 ? 4 : 8;
        _needsClamping = needsClamping;
        Length = source.Length / _sourceElementSize * 2;
    }

    public override long Length { get; }

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
            if (_sourceElementSize == 4 && !_needsClamping)
            {
                Fp16Kernels.ConvertInRange(MemoryMarshal.Cast<byte, float>(source), halves);
            }
            else if (_sourceElementSize == 4)
            {
                var scratch = ArrayPool<float>.Shared.Rent(count);
                try
                {
                    Fp16Kernels.Convert(MemoryMarshal.Cast<byte, float>(source), halves, scratch);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(scratch);
                }
            }
            else
            {
                Fp16Kernels.Convert(MemoryMarshal.Cast<byte, double>(source), halves);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sourceBytes);
        }
    }
}
