using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace ModelBuild.Core.Weights;

/// <summary>
/// A source file of weights, opened once for the duration of a conversion: memory-mapped for parsing, and
/// read positionally (pread) for payloads. Streaming gigabytes through a mapping costs a page fault per 4 KiB
/// page and counts every touched page in the process's resident set — and the kernel maps up to 64 KiB of
/// cached neighbours around each fault, so even small payloads read through the mapping (a bias per layer)
/// add up to hundreds of MiB. Positional reads move the same bytes through the page cache at copy speed
/// with flat memory.
/// </summary>
public sealed unsafe class MappedFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _pointer;

    private MappedFile(string path, FileStream stream, MemoryMappedFile? mapping, MemoryMappedViewAccessor? view)
    {
        Path = path;
        _stream = stream;
        Length = stream.Length;
        _mapping = mapping;
        _view = view;
        if (view is not null)
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _pointer = pointer + view.PointerOffset;
        }
    }

    public string Path { get; }

    public long Length { get; }

    private SafeFileHandle Handle => _stream.SafeFileHandle;

    public static MappedFile Open(string path)
    {
        // The length is the opened file's: FileInfo.Length of a symbolic link is the size of the link itself.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        if (stream.Length == 0)
        {
            // An empty file cannot be mapped; it has no bytes to hand out anyway.
            return new MappedFile(path, stream, null, null);
        }

        MemoryMappedFile? mapping = null;
        try
        {
            mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            var view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, stream, mapping, view);
        }
        catch
        {
            mapping?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A span over [offset, offset+length) of the mapping.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        CheckRange(offset, length);
        return length == 0 ? [] : new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>Copies [offset, offset+destination.Length) of the file into <paramref name="destination"/>.</summary>
    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(Handle, destination, offset);
            if (read == 0)
            {
                throw new IOException($"'{Path}' ended early while reading byte {offset}.");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _mapping?.Dispose();
        _stream.Dispose();
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + length}) are outside '{Path}' ({Length} bytes).");
        }
    }
}

/// <summary>Maps each file once and keeps the mappings alive for the duration of a conversion.</summary>
public sealed class MappedFileSet : IDisposable
{
    private readonly Dictionary<string, MappedFile> _files = new(StringComparer.Ordinal);

    public MappedFile Get(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        lock (_files)
        {
            if (!_files.TryGetValue(fullPath, out var file))
            {
                file = MappedFile.Open(fullPath);
                _files.Add(fullPath, file);
            }

            return file;
        }
    }

    /// <summary>The full paths of every file mapped so far: what a conversion read, for build dependency tracking.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_files)
            {
                return [.. _files.Keys];
            }
        }
    }

    /// <summary>The bytes of every file mapped so far.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_files)
            {
                return _files.Values.Sum(f => f.Length);
            }
        }
    }

    public void Dispose()
    {
        lock (_files)
        {
            foreach (var file in _files.Values)
            {
                file.Dispose();
            }

            _files.Clear();
        }
    }
}
