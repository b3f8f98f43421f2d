using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Ir;

/// <summary>
/// Writes constant payloads one after another into the .bin, in one sequential pass over each source.
/// Identical payloads are stored once: each blob is hashed while it is copied, and a blob whose
/// (length, 128-bit hash) was seen before is rolled back and shares the earlier offset.
/// <para>
/// A pipeline bounds both time and memory. The calling thread reads each payload chunk by chunk (converting
/// it, for FP16) into one of a fixed set of buffers and hashes it; a writer thread writes the filled buffers in
/// order and, on Linux, starts the disk's writeback of each window as soon as it is written. So reading,
/// converting and hashing overlap the writes, the disk writes while the next chunks are read instead of all
/// at the final flush, and the slower of reading and writing sets the pace. Memory is the buffers, whatever
/// the payloads' sizes.
/// </para>
/// <para>
/// It writes into a stream it does not own (the staged .bin, see <see cref="Files.StagedFile"/>), which
/// <see cref="Flush"/> leaves holding exactly the bytes written; committing it to disk is the owner's.
/// </para>
/// </summary>
internal sealed partial class BinWriter : IDisposable
{
    private const int ChunkSize = 1 << 20;
    private const int BufferCount = 4;

    // Writeback is started every this many bytes: large enough for the disk to write in big requests.
    private const long WritebackWindow = 8 << 20;

    private readonly FileStream _stream;
    private readonly Dictionary<(long Length, UInt128 Hash), long> _written = [];
    private readonly XxHash128 _hash = new();
    private readonly BlockingCollection<byte[]> _free = [];
    private readonly BlockingCollection<Command> _commands = new(BufferCount + 1);
    private readonly CancellationTokenSource _writerFailed = new();
    private readonly Thread _writer;
    private ExceptionDispatchInfo? _writerError;

    // The .bin's length once every queued command has run.
    private long _length;

    // The last payload written, if it was appended rather than found: what WithdrawLast takes back.
    private (long Start, (long, UInt128) Key)? _lastAppended;

    public BinWriter(FileStream stream)
    {
        _stream = stream;
        for (var i = 0; i < BufferCount; i++)
        {
            _free.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
        }

        _writer = new Thread(WriteCommands) { IsBackground = true, Name = "ModelBuild .bin writer" };
        _writer.Start();
    }

    /// <summary>Bytes written so far (the .bin's length).</summary>
    public long Length => _length;

    /// <summary>Appends (or finds) a payload; returns its offset and size in the .bin.</summary>
    public (long Offset, long Size) Write(TensorData data)
    {
        var start = _length;
        _hash.Reset();
        for (long offset = 0; offset < data.Length; offset += ChunkSize)
        {
            var buffer = TakeFreeBuffer();
            var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkSize, data.Length - offset));
            data.Read(offset, chunk);
            _hash.Append(chunk);
            Enqueue(new Command(buffer, chunk.Length));
            _length += chunk.Length;
        }

        var key = (data.Length, _hash.GetCurrentHashAsUInt128());
        if (_written.TryGetValue(key, out var previous))
        {
            RewindTo(start);
            _lastAppended = null;
            return (previous, data.Length);
        }

        _written[key] = start;
        _lastAppended = (start, key);
        return (start, data.Length);
    }

    /// <summary>Takes back the payload last written: its bytes if they were appended (a payload found stored earlier stays).</summary>
    public void WithdrawLast()
    {
        if (_lastAppended is var (start, key))
        {
            _written.Remove(key);
            RewindTo(start);
            _lastAppended = null;
        }
    }

    /// <summary>Waits for every write, then cuts the file to the bytes written (a rollback may have left more).</summary>
    public void Flush()
    {
        _commands.CompleteAdding();
        _writer.Join();
        _writerError?.Throw();
        RandomAccess.SetLength(_stream.SafeFileHandle, _length);
    }

    public void Dispose()
    {
        if (!_commands.IsAddingCompleted)
        {
            _commands.CompleteAdding();
        }

        _writer.Join();
        _commands.Dispose();
        _free.Dispose();
        _writerFailed.Dispose();
    }

    // Later payloads are written over the bytes from here on; Flush cuts the file to its final length.
    private void RewindTo(long length)
    {
        Enqueue(new Command(null, 0, RewindTo: length));
        _length = length;
    }

    private byte[] TakeFreeBuffer()
    {
        try
        {
            return _free.Take(_writerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            _writerError!.Throw();
            throw;
        }
    }

    private void Enqueue(Command command)
    {
        try
        {
            _commands.Add(command, _writerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            _writerError!.Throw();
            throw;
        }
    }

    private void WriteCommands()
    {
        var handle = _stream.SafeFileHandle;
        long position = 0;
        long writebackStart = 0;
        try
        {
            foreach (var command in _commands.GetConsumingEnumerable())
            {
                if (command.Buffer is { } buffer)
                {
                    RandomAccess.Write(handle, buffer.AsSpan(0, command.Count), position);
                    position += command.Count;
                    _free.Add(buffer);
                    if (position - writebackStart >= WritebackWindow)
                    {
                        StartWriteback(handle, writebackStart, position - writebackStart);
                        writebackStart = position;
                    }
                }
                else
                {
                    position = command.RewindTo;
                    writebackStart = Math.Min(writebackStart, position);
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _writerError = ExceptionDispatchInfo.Capture(error);
            _writerFailed.Cancel();
        }
    }

    // Asks the kernel to start writing the range to disk now, without waiting for it (Linux only: elsewhere the
    // final flush writes everything). A hint: if the file system declines, the flush still writes the bytes.
    private static void StartWriteback(SafeFileHandle handle, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(handle, offset, count, SyncFileRangeWrite);
        }
    }

    private const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle handle, long offset, long count, uint flags);

    /// <summary>Write <see cref="Count"/> bytes of <see cref="Buffer"/> next, or (no buffer) go back to <see cref="RewindTo"/>.</summary>
    private readonly record struct Command(byte[]? Buffer, int Count, long RewindTo = 0);
}
