using System.IO.Hashing;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Ir;

/// <summary>
/// Writes constant payloads one after another into the .bin, in one sequential pass over each
/// source. Identical payloads are stored once: each blob is hashed while it is copied, and a blob
/// whose (length, 128-bit hash) was seen before is rolled back and shares the earlier offset.
/// Two buffers alternate: while one chunk is written, the next is read (converted, for FP16) and
/// hashed on another thread, so the CPU work overlaps the write system calls.
/// </summary>
internal sealed class BinWriter(FileStream stream)
{
    private const int ChunkSize = 1 << 20;

    private readonly FileStream _stream = stream;
    private readonly Dictionary<(long Length, UInt128 Hash), long> _written = [];
    private readonly byte[][] _buffers = [new byte[ChunkSize], new byte[ChunkSize]];
    private readonly XxHash128 _hash = new();

    /// <summary>Bytes written so far (the .bin's length).</summary>
    public long Length => _stream.Length;

    /// <summary>Appends (or finds) a payload; returns its offset and size in the .bin.</summary>
    public (long Offset, long Size) Write(TensorData data)
    {
        var start = _stream.Position;
        _hash.Reset();
        var current = _buffers[0];
        var next = _buffers[1];
        var length = Fill(data, 0, current);
        for (long offset = 0; offset < data.Length; offset += ChunkSize)
        {
            // Chunks are filled one after another (the hash sees them in order); only the write overlaps.
            var nextOffset = offset + ChunkSize;
            var buffer = next;
            var prefetch = nextOffset < data.Length ? Task.Run(() => Fill(data, nextOffset, buffer)) : null;
            _stream.Write(current, 0, length);
            if (prefetch is null)
            {
                break;
            }

            length = prefetch.GetAwaiter().GetResult();
            (current, next) = (next, current);
        }

        var size = data.Length;
        var key = (size, _hash.GetCurrentHashAsUInt128());
        if (_written.TryGetValue(key, out var previous))
        {
            _stream.SetLength(start);
            _stream.Position = start;
            return (previous, size);
        }

        _written[key] = start;
        return (start, size);
    }

    private int Fill(TensorData data, long offset, byte[] buffer)
    {
        var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkSize, data.Length - offset));
        data.Read(offset, chunk);
        _hash.Append(chunk);
        return chunk.Length;
    }
}
