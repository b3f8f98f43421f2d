using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace ModelBuild.Core.Weights;

/// <summary>
/// A read-only memory mapping of a whole file. Weights are read through it straight from the page
/// cache; the mapping lives until the owning <see cref="MappedFileSet"/> is disposed.
/// </summary>
public sealed unsafe partial class MappedFile : IDisposable
{
    private const int MadviseDontNeed = 4;
    private static readonly long PageSize = Environment.SystemPageSize;

    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _pointer;

    private MappedFile(string path, long length, MemoryMappedFile? mapping, MemoryMappedViewAccessor? view)
    {
        Path = path;
        Length = length;
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

    public static MappedFile Open(string path)
    {
        // The length is the opened file's: FileInfo.Length of a symbolic link is the size of the link itself.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = stream.Length;
        if (length == 0)
        {
            // An empty file cannot be mapped; it has no bytes to hand out anyway.
            stream.Dispose();
            return new MappedFile(path, 0, null, null);
        }

        MemoryMappedFile? mapping = null;
        try
        {
            mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, length, mapping, view);
        }
        catch
        {
            if (mapping is null)
            {
                stream.Dispose();
            }

            mapping?.Dispose();
            throw;
        }
    }

    /// <summary>A span over [offset, offset+length) of the file.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + length}) are outside '{Path}' ({Length} bytes).");
        }

        return length == 0 ? [] : new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>
    /// Tells the OS this process is done with [offset, offset+length) for now. The pages leave the
    /// process's resident set (the page cache keeps them, so a later read is still cheap): streaming a
    /// multi-GB model through the mapping then keeps resident memory flat instead of growing with it.
    /// </summary>
    public void Release(long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || _view is null)
        {
            return;
        }

        // Only whole pages inside the range can go.
        var start = (offset + PageSize - 1) / PageSize * PageSize;
        var end = (offset + length) / PageSize * PageSize;
        if (end > start)
        {
            _ = Madvise((nint)(_pointer + start), (nuint)(end - start), MadviseDontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    public void Dispose()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _mapping?.Dispose();
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
