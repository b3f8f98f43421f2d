using System.Text.Json;
using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// A HugeCTR graph config (the JSON <c>Model.graph_to_json()</c> writes): the Data layer, then the
/// embedding and dense layers in network order.
/// </summary>
public sealed record GraphConfig(string Path, DataLayer Data, IReadOnlyList<LayerConfig> Layers);

/// <summary>The Data layer: the model's dense input, its sparse (key) inputs and its labels, which name the outputs.</summary>
public sealed record DataLayer(string DenseTop, long DenseDim, IReadOnlyList<LabelConfig> Labels, IReadOnlyList<SparseInput> SparseInputs);

/// <summary>A label: the name and width of one model output.</summary>
public sealed record LabelConfig(string Top, long Dim);

/// <summary>A sparse input: per sample, <see cref="SlotNum"/> slots of up to <see cref="MaxNnz"/> keys each.</summary>
public sealed record SparseInput(string Top, long SlotNum, long MaxNnz);

/// <summary>
/// One embedding or dense layer of the graph config: its type, input and output tensor names, and
/// typed access to its other fields. Every accessor throws MB4001 naming the layer and the field.
/// </summary>
public sealed class LayerConfig
{
    private readonly JsonElement _json;

    public LayerConfig(string configPath, int index, string type, IReadOnlyList<string> bottoms, IReadOnlyList<string> tops, JsonElement json)
    {
        ConfigPath = configPath;
        Index = index;
        Type = type;
        Bottoms = bottoms;
        Tops = tops;
        _json = json;
    }

    public string ConfigPath { get; }

    /// <summary>The position of the layer in the config's <c>layers</c> array (the Data layer is 0).</summary>
    public int Index { get; }

    public string Type { get; }

    public IReadOnlyList<string> Bottoms { get; }

    public IReadOnlyList<string> Tops { get; }

    /// <summary>"layer 7 (InnerProduct 'fc1')": how messages name the layer.</summary>
    public string Description => $"layer {Index} ({Type}{(Tops.Count > 0 ? $" '{Tops[0]}'" : "")})";

    public bool Has(params string[] path) => Find(path) is not null;

    public long Integer(params string[] path)
    {
        var value = Required(path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw Malformed($"field '{Join(path)}' must be an integer, it is {value}");
    }

    public double Number(params string[] path)
    {
        var value = Required(path);
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Malformed($"field '{Join(path)}' must be a number, it is {value}");
    }

    public string String(params string[] path)
    {
        var value = Required(path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Malformed($"field '{Join(path)}' must be a string, it is {value}");
    }

    public bool Boolean(params string[] path)
    {
        var value = Required(path);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw Malformed($"field '{Join(path)}' must be true or false, it is {value}");
    }

    public long[] Integers(params string[] path) =>
        Elements(path).Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n)
            ? n
            : throw Malformed($"field '{Join(path)}' must hold integers, it holds {e}")).ToArray();

    public string[] Strings(params string[] path) =>
        Elements(path).Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw Malformed($"field '{Join(path)}' must hold strings, it holds {e}")).ToArray();

    public bool[] Booleans(params string[] path) =>
        Elements(path).Select(e => e.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? e.GetBoolean()
            : throw Malformed($"field '{Join(path)}' must hold true or false, it holds {e}")).ToArray();

    /// <summary>Each element of an array field, itself an array of integers (Slice <c>ranges</c>).</summary>
    public long[][] IntegerLists(params string[] path) =>
        Elements(path).Select(e => e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var v)
                ? v
                : throw Malformed($"field '{Join(path)}' must hold lists of integers, it holds {e}")).ToArray()
            : throw Malformed($"field '{Join(path)}' must hold lists of integers, it holds {e}")).ToArray();

    /// <summary>An MB4001 error about this layer.</summary>
    public ModelBuildException Malformed(string message) =>
        new(DiagnosticCode.HugeCtrMalformedConfig, $"{Description}: {message}.", ConfigPath);

    private JsonElement.ArrayEnumerator Elements(string[] path)
    {
        var value = Required(path);
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Malformed($"field '{Join(path)}' must be a list, it is {value}");
    }

    private JsonElement Required(string[] path) => Find(path) ?? throw Malformed($"field '{Join(path)}' is missing");

    private JsonElement? Find(string[] path)
    {
        var current = _json;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string Join(string[] path) => string.Join('.', path);

    public override string ToString() => Description;
}
