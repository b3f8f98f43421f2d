using System.Buffers;
using System.Globalization;

namespace ModelBuild.Core.Files;

/// <summary>
/// A file written under a temporary name beside its destination and renamed over it only when complete, so a
/// reader sees the old file or the whole new one, never a part. Every ModelBuild output and state file is written
/// this way: the IR, the .onnx of <c>modelconvert hugectr</c>, the MSBuild task's state files.
/// <para>
/// The temporary name is <c>&lt;destination file name&gt;.modelbuild-&lt;16 hex digits&gt;.tmp</c>: unique, so
/// two writers of one destination never share a file, and recognisable from the destination alone, so whoever
/// writes that destination next (the next conversion, the next build) and <c>dotnet clean</c> find what a killed
/// writer left. The writer holds an OS lock on its temporary file from creation until it is renamed or deleted
/// (<see cref="FileShare.None"/>, which .NET maps to <c>flock(LOCK_EX)</c> on Unix; on Windows the handle
/// shares nothing but deletion, so the writer itself can still rename it). <see cref="RemoveAbandoned"/> deletes
/// only temporary files whose lock it can take, that is, files no live process is writing.
/// </para>
/// </summary>
public sealed class StagedFile : IDisposable
{
    private const string Marker = ".modelbuild-";
    private const string Extension = ".tmp";
    private const int UniqueDigits = 16;
    private const int MaxCreateAttempts = 8;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    // A writer's handle must not be shared with a cleaner; Windows also needs FILE_SHARE_DELETE for the writer's own rename.
    private static readonly FileShare WriterShare = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;

    private bool _committed;

    private StagedFile(string destinationPath, string temporaryPath, FileStream stream)
    {
        DestinationPath = destinationPath;
        TemporaryPath = temporaryPath;
        Stream = stream;
    }

    /// <summary>The file this one replaces when committed.</summary>
    public string DestinationPath { get; }

    /// <summary>The temporary file being written.</summary>
    public string TemporaryPath { get; }

    /// <summary>The temporary file, open for writing and locked.</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// Removes the temporary files a killed writer left for <paramref name="destinationPath"/>, then creates a new,
    /// locked temporary file beside it (creating the folder if needed).
    /// </summary>
    /// <exception cref="IOException">The folder or the file cannot be created.</exception>
    public static StagedFile Create(string destinationPath, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var destination = Path.GetFullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        RemoveAbandoned(destination);
        for (var attempt = 1; ; attempt++)
        {
            var temporary = destination + Marker + Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + Extension;
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, WriterShare, bufferSize, options);

            // On Unix the lock is taken just after the file is created: a cleaner that got in between has deleted
            // the file, which the writer sees once it holds the lock (the name is unique, so nobody recreates it).
            if (File.Exists(temporary))
            {
                return new StagedFile(destination, temporary, stream);
            }

            stream.Dispose();
            if (attempt == MaxCreateAttempts)
            {
                throw new IOException($"The temporary file {temporary} disappeared as soon as it was created, {attempt} times in a row.");
            }
        }
    }

    /// <summary>Writes a small file (a state or list file) whole, through a temporary file.</summary>
    public static void WriteAllText(string destinationPath, string contents)
    {
        using var file = Create(destinationPath);
        using (var writer = new StreamWriter(file.Stream, leaveOpen: true))
        {
            writer.Write(contents);
        }

        file.Commit();
    }

    /// <summary>
    /// The temporary files beside <paramref name="destinationPath"/> that are its own (by name), whether a writer
    /// still holds them or not.
    /// </summary>
    public static IReadOnlyList<string> TemporaryFilesOf(string destinationPath)
    {
        var destination = Path.GetFullPath(destinationPath);
        var folder = Path.GetDirectoryName(destination)!;
        var prefix = Path.GetFileName(destination) + Marker;
        if (!Directory.Exists(folder))
        {
            return [];
        }

        // The search pattern narrows the listing; the exact check also rejects names that only match its wildcards.
        return [.. Directory.EnumerateFiles(folder, prefix + "*" + Extension).Where(file => IsTemporaryName(Path.GetFileName(file), prefix))];
    }

    /// <summary>The file whose temporary file <paramref name="path"/> is, by its name; null when it is not a temporary file.</summary>
    public static string? DestinationOf(string path)
    {
        var name = Path.GetFileName(path);
        var destinationLength = name.Length - Extension.Length - UniqueDigits - Marker.Length;
        return destinationLength > 0 && IsTemporaryName(name, name[..destinationLength] + Marker)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, name[..destinationLength])
            : null;
    }

    /// <summary>
    /// Deletes the temporary files of <paramref name="destinationPath"/> that no process is writing (a writer
    /// killed before its rename left them); a temporary file whose writer is alive is left alone.
    /// </summary>
    /// <returns>The files deleted.</returns>
    public static IReadOnlyList<string> RemoveAbandoned(string destinationPath) =>
        [.. TemporaryFilesOf(destinationPath).Where(TryDeleteUnlocked)];

    /// <summary>Makes the written bytes durable and renames the temporary file over the destination.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Stream.Flush(flushToDisk: true);

        // Renamed while still open and locked: no cleaner can take the file between the last write and the rename.
        File.Move(TemporaryPath, DestinationPath, overwrite: true);
        _committed = true;
        Stream.Dispose();
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        _committed = true;
        try
        {
            // Deleted while still locked, so no other process can mistake it for a file to take over.
            File.Delete(TemporaryPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Left for the next writer of the destination, which removes it once this handle is closed.
        }
        finally
        {
            DisposeAbandonedStream();
        }
    }

    private void DisposeAbandonedStream()
    {
        try
        {
            Stream.Dispose();
        }
        catch (IOException)
        {
            // Flushing the rest of an abandoned file failed (a full disk fails the write and then this flush too).
        }
    }

    private static bool IsTemporaryName(string name, string prefix) =>
        name.Length == prefix.Length + UniqueDigits + Extension.Length
        && name.StartsWith(prefix, StringComparison.Ordinal)
        && name.EndsWith(Extension, StringComparison.Ordinal)
        && !name.AsSpan(prefix.Length, UniqueDigits).ContainsAnyExcept(HexDigits);

    // Opens the file with the writers' exclusive lock and deletes it on close: this fails while a writer holds it.
    private static bool TryDeleteUnlocked(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
