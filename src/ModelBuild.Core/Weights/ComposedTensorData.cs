namespace ModelBuild.Core.Weights;

/// <summary>A payload of zero bytes that occupies no memory (padding rows of a table, for example).</summary>
public sealed class ZeroTensorData(long length) : TensorData
{
    public override long Length { get; } = length >= 0 ? length : throw new ArgumentOutOfRangeException(nameof(length));

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > Length - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + destination.Length}) are outside a {Length}-byte payload.");
        }

        destination.Clear();
    }
}

/// <summary>
/// Payloads read one after the other as a single payload, so a tensor assembled from file regions
/// and padding is never copied together in memory.
/// </summary>
public sealed class ConcatenatedTensorData : TensorData
{
    private readonly TensorData[] _parts;
    private readonly long[] _starts;

    public ConcatenatedTensorData(params TensorData[] parts)
    {
        _parts = parts;
        _starts = new long[parts.Length];
        long length = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            _starts[i] = length;
            length += parts[i].Length;
        }

        Length = length;
    }

    public override long Length { get; }

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > Length - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + destination.Length}) are outside a {Length}-byte payload.");
        }

        var part = Array.BinarySearch(_starts, offset);
        part = part >= 0 ? part : ~part - 1;
        while (!destination.IsEmpty)
        {
            var within = offset - _starts[part];
            var count = (int)Math.Min(destination.Length, _parts[part].Length - within);
            if (count > 0)
            {
                _parts[part].Read(within, destination[..count]);
                destination = destination[count..];
                offset += count;
            }

            part++;
        }
    }
}
