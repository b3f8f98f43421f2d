using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// One HugeCTR → ONNX conversion: declares the Data layer's inputs and outputs, runs every layer's
/// builder from <see cref="HugeCtrLayerTable"/> in config order while keeping the per-sample shape of
/// every tensor, then checks that the model files held exactly what the layers took. Only after those
/// size checks are the sparse keys read.
/// </summary>
internal sealed class HugeCtrConversion
{
    private readonly GraphConfig _config;
    private readonly MappedFileSet _files;
    private readonly List<SparseModelFolder> _sparseFolders = [];
    private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
    private int _embeddingLayers;
    private long _keySpace;

    private HugeCtrConversion(GraphConfig config, HugeCtrOptions options, MappedFileSet files)
    {
        _config = config;
        _files = files;
        Options = options;
        Graph = new OnnxGraphEmitter(options.GraphName, TensorNames(config));
        Dense = DenseModelFile.Open(options.DenseModelPath, files);
        NonTrainable = NonTrainableParameters.Open(options.NonTrainableParametersPath, files);
    }

    public HugeCtrOptions Options { get; }

    public OnnxGraphEmitter Graph { get; }

    public DenseModelFile Dense { get; }

    public NonTrainableParameters NonTrainable { get; }

    public Dictionary<string, SampleShape> Shapes { get; } = new(StringComparer.Ordinal);

    public static OnnxModel Run(string graphConfigPath, HugeCtrOptions options, MappedFileSet files)
    {
        var config = GraphConfigReader.Read(graphConfigPath, files);
        CheckSupported(config);
        var conversion = new HugeCtrConversion(config, options, files);
        conversion.DeclareData();
        foreach (var layer in config.Layers)
        {
            HugeCtrLayerTable.Builders[layer.Type](new LayerContext(conversion, layer));
        }

        conversion.Finish();
        return conversion.Graph.ToModel(config.Path, files);
    }

    /// <summary>Records a tensor a layer produces; every tensor is produced once.</summary>
    public void Produce(LayerConfig layer, string tensor, SampleShape shape)
    {
        if (!_produced.Add(tensor))
        {
            throw layer.Malformed($"writes '{tensor}', which is already produced before it");
        }

        Shapes[tensor] = shape;
    }

    public (SparseModelFolder Folder, long KeySpace)? EmbeddingTable(LayerConfig layer, long vocabulary, long vectorSize)
    {
        var index = _embeddingLayers++;
        _keySpace += vocabulary;
        if (!Options.ConvertEmbedding)
        {
            return null;
        }

        if (index >= Options.SparseModelPaths.Count)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile,
                $"{layer.Description} is embedding layer {index + 1}, but only {Options.SparseModelPaths.Count} sparse model folders were given (one per embedding layer, in graph-config order).",
                _config.Path);
        }

        var folder = SparseModelFolder.Open(Options.SparseModelPaths[index], layer, vocabulary, vectorSize, _keySpace, _files);
        _sparseFolders.Add(folder);
        return (folder, _keySpace);
    }

    private static void CheckSupported(GraphConfig config)
    {
        var unsupported = config.Layers.Where(l => !HugeCtrLayerTable.Builders.ContainsKey(l.Type)).ToList();
        if (unsupported.Count > 0)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrUnsupportedLayer,
                $"The graph config uses layer types the converter does not support: {string.Join(", ", unsupported.Select(l => l.Description))}. Supported: {string.Join(", ", HugeCtrLayerTable.Builders.Keys.Order(StringComparer.Ordinal))}.",
                config.Path);
        }
    }

    // Graph inputs: the dense features, then (with embeddings converted) the keys of each sparse input in
    // Data order; without, the embedding layers add their outputs as inputs. Outputs: the labels, which the
    // loss layers write.
    private void DeclareData()
    {
        var data = _config.Data;
        var dense = SampleShape.Of(data.DenseDim);
        Graph.Input(data.DenseTop, ElementType.F32, dense);
        _produced.Add(data.DenseTop);
        Shapes[data.DenseTop] = dense;
        foreach (var input in data.SparseInputs)
        {
            var keys = SampleShape.Of(input.SlotNum, input.MaxNnz);
            if (Options.ConvertEmbedding)
            {
                Graph.Input(input.Top, ElementType.I64, keys);
            }

            _produced.Add(input.Top);
            Shapes[input.Top] = keys;
        }

        foreach (var label in data.Labels)
        {
            Graph.Output(label.Top, ElementType.F32, SampleShape.Of(label.Dim));
            Shapes[label.Top] = SampleShape.Of(label.Dim);
        }
    }

    private void Finish()
    {
        foreach (var label in _config.Data.Labels.Where(l => !_produced.Contains(l.Top)))
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMalformedConfig,
                $"No loss layer reads the label '{label.Top}', so nothing produces that model output.", _config.Path);
        }

        Dense.CheckSize();
        NonTrainable.CheckAllUsed();
        if (Options.ConvertEmbedding && _embeddingLayers < Options.SparseModelPaths.Count)
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrSizeMismatch,
                $"{Options.SparseModelPaths.Count} sparse model folders were given for {_embeddingLayers} embedding layers.", _config.Path);
        }

        foreach (var folder in _sparseFolders)
        {
            folder.LoadKeys();
        }
    }

    // Every tensor name the config mentions: names the converter generates must not take one of them.
    private static IEnumerable<string> TensorNames(GraphConfig config) =>
        config.Layers.SelectMany(l => l.Bottoms.Concat(l.Tops))
            .Append(config.Data.DenseTop)
            .Concat(config.Data.SparseInputs.Select(s => s.Top))
            .Concat(config.Data.Labels.Select(l => l.Top));
}
