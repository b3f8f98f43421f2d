using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Mutation;

/// <summary>
/// Mutations of a HugeCTR model: its graph config as JSON (numbers to extremes, strings to other layer
/// types and names, keys removed, layers duplicated or dropped, values of the wrong JSON kind) or as
/// text; the dense model, sparse key and vector files and the non-trainable parameters as bytes and sizes.
/// </summary>
internal static class HugeCtrMutator
{
    private static readonly string[] LayerTypes =
    [
        "Data", "InnerProduct", "FusedInnerProduct", "ReLU", "Sigmoid", "Dropout", "Concat", "Reshape", "Slice", "Add", "ElementwiseMultiply",
        "Interaction", "MultiCross", "FmOrder2", "WeightMultiply", "ReduceSum", "ReduceMean", "BatchNorm", "LayerNorm", "MultiHeadAttention",
        "Softmax", "Scale", "Sub", "Gather", "MatrixMultiply", "PReLU_Dice", "FusedReshapeConcat", "FusedReshapeConcatGeneral",
        "DistributedSlotSparseEmbeddingHash", "LocalizedSlotSparseEmbeddingHash", "BinaryCrossEntropyLoss", "CrossEntropyLoss", "MultiCrossEntropyLoss", "Unknown",
    ];

    public static FuzzInput Mutate(FuzzInput seed, Random random)
    {
        var files = new Dictionary<string, byte[]>(seed.Files, StringComparer.Ordinal);
        var spec = seed.Spec;
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(10))
            {
                case < 5 when files.TryGetValue(spec.Model, out var config):
                    files[spec.Model] = MutateJson(config, random);
                    break;
                case 5 when files.TryGetValue(spec.Model, out var config):
                    files[spec.Model] = ByteMutator.Mutate(config, random);
                    break;
                case 6 when files.TryGetValue(spec.DenseModel!, out var dense):
                    files[spec.DenseModel!] = MutateBinary(dense, random, recordSize: 4);
                    break;
                case 7 when spec.SparseModels.Length > 0:
                    var folder = Interesting.Pick(random, spec.SparseModels);
                    var file = random.Next(2) == 0 ? "key" : "emb_vector";
                    var path = $"{folder}/{file}";
                    if (files.TryGetValue(path, out var bytes))
                    {
                        files[path] = random.Next(3) == 0 ? MutateKeys(bytes, random) : MutateBinary(bytes, random, recordSize: file == "key" ? 8 : 4);
                    }
                    else
                    {
                        files[path] = [];
                    }

                    break;
                case 8 when spec.NonTrainableParameters is { } ntp && files.ContainsKey(ntp):
                    files[ntp] = MutateJson(files[ntp], random);
                    break;
                default:
                    spec = MutateSpec(spec, files, random);
                    break;
            }
        }

        return new FuzzInput(seed.Origin, files, spec);
    }

    private static ConversionSpec MutateSpec(ConversionSpec spec, Dictionary<string, byte[]> files, Random random) => random.Next(4) switch
    {
        0 => spec with { ConvertEmbedding = !spec.ConvertEmbedding },
        1 when spec.SparseModels.Length > 0 => spec with { SparseModels = spec.SparseModels[..random.Next(spec.SparseModels.Length)] },
        2 => spec with { SparseModels = [.. spec.SparseModels, spec.SparseModels.FirstOrDefault() ?? "missing"] },
        _ => RemoveFile(spec, files, random),
    };

    private static ConversionSpec RemoveFile(ConversionSpec spec, Dictionary<string, byte[]> files, Random random)
    {
        var name = Interesting.Pick(random, files.Keys.Order(StringComparer.Ordinal).ToList());
        files.Remove(name);
        return spec;
    }

    private static byte[] MutateBinary(byte[] bytes, Random random, int recordSize) => random.Next(4) switch
    {
        // One record short or long: the sizes the config declares no longer match the file.
        0 => bytes.Length >= recordSize ? bytes[..^recordSize] : [],
        1 => [.. bytes, .. new byte[recordSize * random.Next(1, 3)]],
        2 => bytes[..random.Next(bytes.Length + 1)],
        _ => ByteMutator.Mutate(bytes, random),
    };

    // Keys outside the key space, negative, repeated.
    private static byte[] MutateKeys(byte[] bytes, Random random)
    {
        var keys = bytes.Length / 8;
        if (keys == 0)
        {
            return BitConverter.GetBytes(Interesting.Integer(random));
        }

        var copy = (byte[])bytes.Clone();
        var at = random.Next(keys);
        var value = random.Next(2) == 0 ? BitConverter.ToInt64(copy, 8 * random.Next(keys)) : Interesting.Integer(random);
        BitConverter.TryWriteBytes(copy.AsSpan(8 * at), value);
        return copy;
    }

    private static byte[] MutateJson(byte[] text, Random random)
    {
        try
        {
            return MutateJsonTree(text, random);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Not JSON, or JSON whose strings are not UTF-8 (parsing is lazy, so this shows late): mutate the bytes.
            return ByteMutator.Mutate(text, random);
        }
    }

    private static byte[] MutateJsonTree(byte[] text, Random random)
    {
        var root = JsonNode.Parse(text);
        if (root is null)
        {
            return text;
        }

        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = Interesting.Pick(random, nodes);
        switch (random.Next(7))
        {
            case 0 or 1:
                Replace(target, NumberOrString(target, random));
                break;
            case 2 when target.Parent is JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case 3 when target.Parent is JsonArray array:
                // A layer (or slot, or value) twice, or gone.
                if (random.Next(2) == 0)
                {
                    array.Insert(random.Next(array.Count + 1), target.DeepClone());
                }
                else
                {
                    array.Remove(target);
                }

                break;
            case 4:
                Replace(target, random.Next(4) switch
                {
                    0 => new JsonArray(),
                    1 => new JsonObject(),
                    2 => null,
                    _ => JsonValue.Create(true),
                });
                break;
            case 5 when target is JsonObject layer:
                layer["type"] = Interesting.Pick(random, LayerTypes);
                break;
            default:
                // Names: tops and bottoms pointing at other tensors, or at nothing.
                var names = nodes.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).Distinct().ToList();
                if (names.Count > 0)
                {
                    Replace(target, JsonValue.Create(random.Next(3) == 0 ? Interesting.String(random) : Interesting.Pick(random, names)));
                }

                break;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static JsonValue NumberOrString(JsonNode target, Random random)
    {
        if (target is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return JsonValue.Create(random.Next(2) == 0 ? Interesting.String(random) : Interesting.Pick(random, LayerTypes));
        }

        return random.Next(4) switch
        {
            0 => JsonValue.Create(Interesting.Float(random) is var f && float.IsFinite(f) ? f : 1e300),
            1 => JsonValue.Create(random.NextDouble() * 10),
            _ => JsonValue.Create(Interesting.Integer(random)),
        };
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }

                break;
        }
    }

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
        }
    }
}
