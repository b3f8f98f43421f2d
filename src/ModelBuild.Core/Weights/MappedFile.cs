using System.IO.MemoryMappedFiles;

namespace ModelBuild.Core.Weights;

/// <summary>
/// A read-only memory mapping of a whole file. Weights are read through it straight from the page
/// cache; the mapping lives until the owning <see cref="MappedFileSet"/> is disposed.
/// </summary>
public sealed unsafe class MappedFile : IDisposable
{
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
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            // An empty file cannot be mapped; it has no bytes to hand out anyway.
            return new MappedFile(path, 0, null, null);
        }

        var mapping = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, length, mapping, view);
        }
        catch
        {
            mapping.Dispose();
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
