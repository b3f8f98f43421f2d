using System.Text.Json.Nodes;

namespace ModelBuild.Fuzzing.Inputs;

/// <summary>
/// The inputs mutations start from: the ONNX backend-test models, the workplace's ONNX fixtures and
/// its HugeCTR model folders (each converted with and without its embeddings). Loaded in a fixed
/// order, so a (seed, index) pair means the same input on every run over the same corpus.
/// </summary>
public sealed class SeedCorpus
{
    private SeedCorpus(IReadOnlyList<FuzzInput> onnx, IReadOnlyList<FuzzInput> hugeCtr)
    {
        Onnx = onnx;
        HugeCtr = hugeCtr;
    }

    public IReadOnlyList<FuzzInput> Onnx { get; }

    public IReadOnlyList<FuzzInput> HugeCtr { get; }

    /// <summary>ONNX models are *.onnx files under <paramref name="onnxRoots"/>; HugeCTR models are folders with a manifest.json under <paramref name="hugeCtrRoots"/>.</summary>
    /// <param name="extraOnnx">Generated ONNX inputs to add (the hostile models).</param>
    public static SeedCorpus Load(IEnumerable<string> onnxRoots, IEnumerable<string> hugeCtrRoots, long maximumModelBytes, IEnumerable<FuzzInput> extraOnnx)
    {
        var onnx = onnxRoots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.onnx", SearchOption.AllDirectories))
            .Where(path => new FileInfo(path).Length <= maximumModelBytes)
            .Order(StringComparer.Ordinal)
            .Select(path => new FuzzInput(path, new Dictionary<string, byte[]> { ["model.onnx"] = File.ReadAllBytes(path) }, new ConversionSpec { Model = "model.onnx" }))
            .Concat(extraOnnx)
            .ToList();
        var hugeCtr = hugeCtrRoots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "manifest.json", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .SelectMany(LoadHugeCtr)
            .ToList();
        if (onnx.Count == 0 && hugeCtr.Count == 0)
        {
            throw new InvalidOperationException("The seed corpus is empty: no .onnx file or HugeCTR manifest.json under the given folders.");
        }

        return new SeedCorpus(onnx, hugeCtr);
    }

    // A manifest names the converter's arguments; the model goes in with and without its embedding tables.
    private static IEnumerable<FuzzInput> LoadHugeCtr(string manifestPath)
    {
        var folder = Path.GetDirectoryName(manifestPath)!;
        var arguments = JsonNode.Parse(File.ReadAllText(manifestPath))?["converter_args"];
        if (arguments?["graph_config"]?.GetValue<string>() is not { } graphConfig || arguments["dense_model"]?.GetValue<string>() is not { } dense)
        {
            yield break;
        }

        var sparse = arguments["sparse_models"]?.AsArray().Select(s => s!.GetValue<string>()).ToArray() ?? [];
        var ntp = arguments["ntp_file"]?.GetValue<string>();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [graphConfig] = File.ReadAllBytes(Path.Combine(folder, graphConfig)),
            [dense] = File.ReadAllBytes(Path.Combine(folder, dense)),
        };
        foreach (var model in sparse)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, model)).Order(StringComparer.Ordinal))
            {
                files[$"{model}/{Path.GetFileName(file)}"] = File.ReadAllBytes(file);
            }
        }

        if (ntp is not null)
        {
            files[ntp] = File.ReadAllBytes(Path.Combine(folder, ntp));
        }

        foreach (var convertEmbedding in new[] { true, false })
        {
            yield return new FuzzInput($"{folder} (convert_embedding={convertEmbedding})", files, new ConversionSpec
            {
                Model = graphConfig,
                DenseModel = dense,
                SparseModels = sparse,
                NonTrainableParameters = ntp,
                ConvertEmbedding = convertEmbedding,
            });
        }
    }
}
