using System.Runtime.InteropServices;
using System.Text.Json;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;

namespace ModelBuild.Testing;

/// <summary>
/// One folder of ../shared/fixtures/hugectr: a HugeCTR snapshot (graph config, dense and sparse model
/// files), its manifest, hugectr2onnx's reference models and sample inputs with ONNX Runtime's outputs.
/// </summary>
public sealed class HugeCtrFixture
{
    private readonly JsonElement _manifest;

    public HugeCtrFixture(string name, string? folder = null)
    {
        Name = name;
        Folder = folder ?? Path.Combine(Root, name);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "manifest.json")));
        _manifest = document.RootElement.Clone();
    }

    /// <summary>The folder of the HugeCTR fixtures.</summary>
    public static string Root => SharedFolders.Fixture("hugectr");

    public string Name { get; }

    public string Folder { get; }

    public string GraphConfig => PathOf(Arguments.GetProperty("graph_config").GetString()!);

    public string DenseModel => PathOf(Arguments.GetProperty("dense_model").GetString()!);

    public IReadOnlyList<string> SparseModels => Arguments.GetProperty("sparse_models").EnumerateArray().Select(s => PathOf(s.GetString()!)).ToList();

    public string? NonTrainableParameters =>
        Arguments.GetProperty("ntp_file") is { ValueKind: JsonValueKind.String } ntp ? PathOf(ntp.GetString()!) : null;

    /// <summary>The fixtures whose expected outputs exist in a mode (ONNX Runtime ran the reference).</summary>
    public static IEnumerable<(string Name, bool ConvertEmbedding)> WithExpectedOutputs() =>
        from name in Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        from keys in new[] { true, false }
        where Directory.Exists(Path.Combine(Root, name!, "samples", Mode(keys), "expected"))
        select (name!, keys);

    /// <summary>A copy of the fixture in <paramref name="folder"/>, to modify its files.</summary>
    public HugeCtrFixture CopyTo(string folder)
    {
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }

        return new HugeCtrFixture(Name, folder);
    }

    public static string Mode(bool convertEmbedding) => convertEmbedding ? "keys" : "dense_only";

    public string PathOf(string name) => Path.Combine(Folder, name);

    public HugeCtrOptions Options(bool convertEmbedding) => new()
    {
        DenseModelPath = DenseModel,
        SparseModelPaths = SparseModels,
        ConvertEmbedding = convertEmbedding,
        NonTrainableParametersPath = NonTrainableParameters,
        GraphName = Arguments.GetProperty("graph_name").GetString()!,
    };

    /// <summary>hugectr2onnx's model for a mode, or null when it wrote none.</summary>
    public string? Reference(bool convertEmbedding)
    {
        var path = PathOf(convertEmbedding ? "reference.onnx" : "reference_dense.onnx");
        return File.Exists(path) ? path : null;
    }

    /// <summary>The sample inputs of a mode, by input name.</summary>
    public IReadOnlyDictionary<string, Tensor> Samples(bool convertEmbedding) => ReadFolder(Path.Combine(Folder, "samples", Mode(convertEmbedding)));

    /// <summary>ONNX Runtime's outputs on the reference for the samples of a mode, by output name.</summary>
    public IReadOnlyDictionary<string, Tensor> Expected(bool convertEmbedding) => ReadFolder(Path.Combine(Folder, "samples", Mode(convertEmbedding), "expected"));

    /// <summary>A dense-model tensor, located by the manifest's layout of the dense file (tensor by tensor, in file order).</summary>
    public float[] DenseTensor(string layerTop, string tensor)
    {
        long offset = 0;
        foreach (var entry in _manifest.GetProperty("dense_model_layout").EnumerateArray())
        {
            var count = (int)entry.GetProperty("shape").EnumerateArray().Aggregate(1L, (p, d) => p * d.GetInt64());
            if (entry.GetProperty("layer_top").GetString() == layerTop && entry.GetProperty("tensor").GetString() == tensor)
            {
                using var stream = File.OpenRead(DenseModel);
                stream.Position = offset;
                var bytes = new byte[count * sizeof(float)];
                stream.ReadExactly(bytes);
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            }

            offset += count * sizeof(float);
        }

        throw new KeyNotFoundException($"{Name}: no dense tensor {layerTop}/{tensor} in the manifest.");
    }

    /// <summary>The embedding vectors of sparse model <paramref name="index"/>, by key.</summary>
    public Dictionary<long, float[]> EmbeddingVectors(int index, int vectorSize)
    {
        var keys = MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(Path.Combine(SparseModels[index], "key"))).ToArray();
        var vectors = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(SparseModels[index], "emb_vector"))).ToArray();
        return keys.Select((key, i) => (key, i)).ToDictionary(e => e.key, e => vectors[(e.i * vectorSize)..((e.i + 1) * vectorSize)]);
    }

    public override string ToString() => Name;

    private JsonElement Arguments => _manifest.GetProperty("converter_args");

    private static Dictionary<string, Tensor> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "*.npy").ToDictionary(f => Path.GetFileNameWithoutExtension(f), NpyFile.Read);
}
