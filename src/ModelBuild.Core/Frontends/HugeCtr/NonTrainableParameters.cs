using System.Text.Json;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>The running statistics of one BatchNorm layer.</summary>
internal sealed record BatchNormStatistics(float[] Mean, float[] Variance);

/// <summary>
/// The non-trainable parameters file (<c>&lt;dense model&gt;.ntp.json</c>): one entry with <c>mean</c>
/// and <c>var</c> per BatchNorm layer, in network order. Entries are handed to the BatchNorm layers
/// in turn; their lengths must match the layers' channel counts and there must be one per layer.
/// </summary>
internal sealed class NonTrainableParameters
{
    private readonly string? _path;
    private readonly List<JsonElement> _entries;
    private int _next;

    private NonTrainableParameters(string? path, List<JsonElement> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>Reads the file; a null or empty path means the model has none, as in hugectr2onnx.</summary>
    public static NonTrainableParameters Open(string? path, MappedFileSet files)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new NonTrainableParameters(null, []);
        }

        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile, "The non-trainable parameters file does not exist.", fullPath);
        }

        try
        {
            var root = JsonFile.Read(fullPath, files);
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                ? new NonTrainableParameters(fullPath, [.. layers.EnumerateArray()])
                : throw new ModelBuildException(DiagnosticCode.HugeCtrMalformedConfig, "The non-trainable parameters file has no 'layers' list.", fullPath);
        }
        catch (JsonException error)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMalformedConfig, $"The non-trainable parameters file is not valid JSON: {error.Message}", fullPath);
        }
    }

    /// <summary>The statistics of the next BatchNorm layer, which has <paramref name="channels"/> channels.</summary>
    public BatchNormStatistics Next(LayerConfig layer, long channels)
    {
        if (_path is null)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile,
                $"{layer.Description} needs its running mean and variance from the non-trainable parameters file (<dense model>.ntp.json), which was not given.", layer.ConfigPath);
        }

        if (_next >= _entries.Count)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"The file has {_entries.Count} BatchNorm entries; {layer.Description} is BatchNorm layer {_next + 1}.", _path);
        }

        var entry = _entries[_next++];
        return new BatchNormStatistics(Values(entry, "mean", layer, channels), Values(entry, "var", layer, channels));
    }

    /// <summary>After the last layer: every entry must have been used.</summary>
    public void CheckAllUsed()
    {
        if (_path is not null && _next != _entries.Count)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"The file has {_entries.Count} BatchNorm entries, the graph config has {_next} BatchNorm layers.", _path);
        }
    }

    private float[] Values(JsonElement entry, string field, LayerConfig layer, long channels)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array
            || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMalformedConfig,
                $"The entry for {layer.Description} needs a list of numbers '{field}'.", _path);
        }

        if (list.GetArrayLength() != channels)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"The entry for {layer.Description} has {list.GetArrayLength()} '{field}' values, the layer has {channels} channels.", _path);
        }

        return list.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    }
}
