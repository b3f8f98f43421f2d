using System.Globalization;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// ONNX external data: a tensor's bytes live in another file, named by <c>location</c> relative to
/// the model's folder, at <c>offset</c> for <c>length</c> bytes. Locations that are absolute, contain
/// "..", or resolve (through symbolic links too) outside the model's folder are refused — the bug
/// class of CVE-2022-25882 and CVE-2024-27318.
/// </summary>
public static class ExternalData
{
    public static MappedTensorData Resolve(TensorProto tensor, OnnxModel model)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseNumber(entry.Value, "offset", tensor, model);
                    break;
                case "length":
                    length = ParseNumber(entry.Value, "length", tensor, model);
                    break;
                default:
                    // "checksum" and unknown keys carry nothing needed to read the bytes.
                    break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw Error(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}' is stored externally but names no location.", model);
        }

        var path = CheckedPath(location, tensor, model);
        var file = model.Files.Get(path);
        var available = file.Length - offset;
        var size = length ?? available;
        if (offset > file.Length || size > available)
        {
            throw Error(DiagnosticCode.ExternalDataOutOfRange,
                $"Tensor '{tensor.Name}' reads bytes [{offset}, {offset + size}) of '{location}', which has {file.Length} bytes.", model);
        }

        return new MappedTensorData(file, offset, size);
    }

    /// <summary>The real path of an external data file after every safety check.</summary>
    public static string CheckedPath(string location, TensorProto tensor, OnnxModel model)
    {
        if (location.Contains('\0', StringComparison.Ordinal))
        {
            throw Error(DiagnosticCode.ExternalDataLocationRefused,
                $"Tensor '{tensor.Name}' names an external data location with a NUL character; no file is named so.", model);
        }

        var segments = location.Split('/', '\\');
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\') || (location.Length > 1 && location[1] == ':'))
        {
            throw Error(DiagnosticCode.ExternalDataLocationRefused,
                $"Tensor '{tensor.Name}' names the absolute external data location '{location}'; locations must be relative to the model's folder.", model);
        }

        if (segments.Contains(".."))
        {
            throw Error(DiagnosticCode.ExternalDataLocationRefused,
                $"Tensor '{tensor.Name}' names the external data location '{location}', which climbs out of the model's folder with '..'.", model);
        }

        var candidate = Path.GetFullPath(Path.Combine(model.Directory, location));
        if (!File.Exists(candidate))
        {
            throw Error(DiagnosticCode.ExternalDataFileMissing,
                $"Tensor '{tensor.Name}' stores its data in '{location}', which does not exist beside the model.", model);
        }

        var real = RealPath(candidate);
        var folder = RealPath(model.Directory);
        var prefix = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        if (!real.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw Error(DiagnosticCode.ExternalDataLocationRefused,
                $"Tensor '{tensor.Name}' names the external data location '{location}', which resolves to '{real}' outside the model's folder.", model);
        }

        return real;
    }

    /// <summary>The path with every symbolic link along it resolved.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var remaining = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (remaining.Count > 0)
        {
            var next = Path.Combine(current, remaining.Dequeue());
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++hops > 64)
                {
                    throw new IOException($"Too many symbolic links resolving '{path}'.");
                }

                // Resolve the link's target the same way, then continue with what is left of the path.
                var resolved = Path.GetFullPath(target, current);
                var rest = remaining.ToArray();
                remaining = new Queue<string>(resolved[(Path.GetPathRoot(resolved) ?? "/").Length..]
                    .Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = Path.GetPathRoot(resolved) ?? "/";
                continue;
            }

            current = next;
        }

        return current;
    }

    private static long ParseNumber(string text, string key, TensorProto tensor, OnnxModel model) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}' has the external data {key} '{text}', which is not a byte count.", model);

    private static ModelBuildException Error(string code, string message, OnnxModel model) => new(code, message, model.Path);
}
