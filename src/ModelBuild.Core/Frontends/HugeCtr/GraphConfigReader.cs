using System.Text.Json;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>Reads a graph config, tolerant in the ways graph_to_json output varies (string-or-list tensors, key order, float widening).</summary>
public static class GraphConfigReader
{
    public static GraphConfig Read(string path, MappedFileSet files)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModelBuildException(DiagnosticCode.ModelFileNotFound, "The graph config file does not exist.", fullPath);
        }

        JsonElement root;
        try
        {
            root = JsonFile.Read(fullPath, files);
        }
        catch (JsonException error)
        {
            throw Malformed(fullPath, $"The file is not valid JSON: {error.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(fullPath, "The graph config has no 'layers' list; is it the output of Model.graph_to_json()?");
        }

        var entries = layers.EnumerateArray().ToList();
        if (entries.Count == 0 || TypeOf(entries[0]) != "Data")
        {
            throw Malformed(fullPath, "The first layer of the graph config must be the Data layer.");
        }

        var data = ReadData(fullPath, entries[0]);
        var configs = new List<LayerConfig>();
        for (var i = 1; i < entries.Count; i++)
        {
            var type = TypeOf(entries[i]) ?? throw Malformed(fullPath, $"Layer {i} has no 'type'.");
            if (type == "Data")
            {
                throw Malformed(fullPath, $"Layer {i} is a second Data layer.");
            }

            configs.Add(new LayerConfig(fullPath, i, type, Tensors(fullPath, entries[i], "bottom", i), Tensors(fullPath, entries[i], "top", i), entries[i]));
        }

        return new GraphConfig(fullPath, data, configs);
    }

    private static DataLayer ReadData(string path, JsonElement json)
    {
        var dense = Property(path, json, "dense", JsonValueKind.Object);
        var label = Property(path, json, "label", JsonValueKind.Object);
        var labelTops = StringOrList(path, Property(path, label, "top", null), "label.top");
        var labelDims = label.TryGetProperty("label_dim", out var dims) && dims.ValueKind == JsonValueKind.Array
            ? dims.EnumerateArray().Select(d => Integer(path, d, "label.label_dim")).ToList()
            : [Integer(path, Property(path, label, "label_dim", JsonValueKind.Number), "label.label_dim")];
        if (labelTops.Count != labelDims.Count)
        {
            throw Malformed(path, $"The Data layer names {labelTops.Count} labels but gives {labelDims.Count} label dimensions.");
        }

        var sparse = json.TryGetProperty("sparse", out var list) ? list : default;
        var inputs = sparse.ValueKind == JsonValueKind.Array
            ? sparse.EnumerateArray().Select((s, i) => ReadSparseInput(path, s, i)).ToList()
            : [];
        return new DataLayer(
            String(path, Property(path, dense, "top", JsonValueKind.String), "dense.top"),
            Integer(path, Property(path, dense, "dense_dim", JsonValueKind.Number), "dense.dense_dim"),
            labelTops.Zip(labelDims, (top, dim) => new LabelConfig(top, dim)).ToList(),
            inputs);
    }

    private static SparseInput ReadSparseInput(string path, JsonElement json, int index)
    {
        var what = $"sparse[{index}]";
        var nnz = Property(path, json, "nnz_per_slot", null);
        if (nnz.ValueKind != JsonValueKind.Array || nnz.GetArrayLength() == 0)
        {
            // Older hand-written configs have one integer here; graph_to_json always writes one per slot.
            throw Malformed(path, $"The Data layer's {what}.nnz_per_slot must be a list with one entry per slot, it is {nnz}.");
        }

        return new SparseInput(
            String(path, Property(path, json, "top", JsonValueKind.String), $"{what}.top"),
            Integer(path, Property(path, json, "slot_num", JsonValueKind.Number), $"{what}.slot_num"),
            nnz.EnumerateArray().Max(n => Integer(path, n, $"{what}.nnz_per_slot")));
    }

    private static string? TypeOf(JsonElement layer) =>
        layer.ValueKind == JsonValueKind.Object && layer.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    // A layer's bottom and top are a string for one tensor and a list for several; absent means none.
    private static List<string> Tensors(string path, JsonElement layer, string field, int index) =>
        layer.TryGetProperty(field, out var value) ? StringOrList(path, value, $"layer {index} '{field}'") : [];

    private static List<string> StringOrList(string path, JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Select(e => String(path, e, what)).ToList(),
        _ => throw Malformed(path, $"The graph config's {what} must be a tensor name or a list of them, it is {value}."),
    };

    private static JsonElement Property(string path, JsonElement json, string name, JsonValueKind? kind)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var value) || (kind is not null && value.ValueKind != kind))
        {
            throw Malformed(path, $"The Data layer needs a{(kind is null ? "" : $" {kind.Value.ToString().ToLowerInvariant()}")} field '{name}'.");
        }

        return value;
    }

    private static string String(string path, JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Malformed(path, $"The graph config's {what} must be a string, it is {value}.");

    private static long Integer(string path, JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw Malformed(path, $"The graph config's {what} must be a non-negative integer, it is {value}.");

    private static ModelBuildException Malformed(string path, string message) => new(DiagnosticCode.HugeCtrMalformedConfig, message, path);
}
