namespace ModelBuild.Core.Weights;

/// <summary>
/// Where the bytes of a constant live: a region of a memory-mapped file, or a small managed buffer.
/// The bytes are in the IR .bin layout of the constant's element type (little-endian, sub-byte
/// types packed). Readers copy chunks out of it; nothing forces the whole payload into managed memory.
/// </summary>
public abstract class TensorData
{
    /// <summary>Length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>All bytes in a new array; only for payloads known to be small.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[checked((int)Length)];
        Read(0, bytes);
        return bytes;
    }

    public static TensorData FromBytes(byte[] bytes) => new InMemoryTensorData(bytes);
}

/// <summary>A payload held in a managed array (folded constants, typed ONNX fields, small tensors).</summary>
public sealed class InMemoryTensorData(byte[] bytes) : TensorData
{
    public override long Length => bytes.LongLength;

    public override void Read(long offset, Span<byte> destination) =>
        bytes.AsSpan(checked((int)offset), destination.Length).CopyTo(destination);
}

/// <summary>A byte range of a memory-mapped file (embedded raw_data, external data, an IR .bin).</summary>
public sealed class MappedTensorData : TensorData
{

    private readonly MappedFile _file;
    private readonly long _offset;

    public MappedTensorData(MappedFile file, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > file.Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + length}) are outside '{file.Path}' ({file.Length} bytes).");
        }

        _file = file;
        _offset = offset;
        Length = length;
    }

    public override long Length { get; }

    public MappedFile File => _file;

    public long Offset => _offset;

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > Length - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + destination.Length}) are outside a {Length}-byte payload.");
        }

        _file.Read(_offset + offset, destination);
    }
}
