using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>Emits the ONNX nodes of one graph-config layer.</summary>
internal delegate void LayerBuilder(LayerContext context);

/// <summary>
/// What a layer builder sees: the layer's config, the per-sample shapes of the tensors built so far,
/// the graph being emitted, and the model files (dense weights in order, BatchNorm statistics, sparse
/// tables). Errors name the layer.
/// </summary>
internal sealed class LayerContext(HugeCtrConversion conversion, LayerConfig layer)
{
    public LayerConfig Layer { get; } = layer;

    public OnnxGraphEmitter Graph => conversion.Graph;

    /// <summary>The layer's one output tensor.</summary>
    public string Top => Layer.Tops.Count == 1 ? Layer.Tops[0] : throw Malformed($"needs exactly one top, it has {Layer.Tops.Count}");

    /// <summary>The layer's one input tensor.</summary>
    public string Bottom => Layer.Bottoms.Count == 1 ? Layer.Bottoms[0] : throw Malformed($"needs exactly one bottom, it has {Layer.Bottoms.Count}");

    /// <summary>The layer's input tensors; at least <paramref name="minimum"/> of them.</summary>
    public IReadOnlyList<string> Bottoms(int minimum) =>
        Layer.Bottoms.Count >= minimum ? Layer.Bottoms : throw Malformed($"needs at least {minimum} bottoms, it has {Layer.Bottoms.Count}");

    /// <summary>The per-sample shape of a tensor an earlier layer produced.</summary>
    public SampleShape Shape(string tensor) =>
        conversion.Shapes.TryGetValue(tensor, out var shape) ? shape : throw Malformed($"reads '{tensor}', which no earlier layer produces");

    /// <summary>The shape of <see cref="Bottom"/>, which must be a 2-D tensor [batch, d] for this layer.</summary>
    public SampleShape FlatBottomShape()
    {
        var shape = Shape(Bottom);
        return shape.IsFlat ? shape : throw Unsupported($"its input '{Bottom}' has per-sample shape {shape}; only 2-D inputs [batch, d] are supported");
    }

    /// <summary>Records the per-sample shape of a tensor this layer produces.</summary>
    public void SetShape(string top, SampleShape shape) => conversion.Produce(Layer, top, shape);

    /// <summary>The layer's next float32 tensor in the dense model file.</summary>
    public TensorData Weights(string tensor, params long[] shape) =>
        shape.All(d => d > 0)
            ? conversion.Dense.Take(Layer, tensor, shape)
            : throw Malformed($"would have a {tensor} of shape [{string.Join(", ", shape)}]");

    public BatchNormStatistics BatchNormStatistics(long channels) => conversion.NonTrainable.Next(Layer, channels);

    /// <summary>
    /// Registers this embedding layer's table: its vocabulary extends the key space, as hugectr2onnx counts it.
    /// With embeddings converted, returns the layer's sparse model folder and the length of its key→row table.
    /// </summary>
    public (SparseModelFolder Folder, long KeySpace)? EmbeddingTable(long vocabulary, long vectorSize) =>
        conversion.EmbeddingTable(Layer, vocabulary, vectorSize);

    /// <summary>MB4001: the layer's config is malformed or inconsistent.</summary>
    public ModelBuildException Malformed(string message) => Layer.Malformed(message);

    /// <summary>MB4006: the layer type is supported, but not with this configuration.</summary>
    public ModelBuildException Unsupported(string message) =>
        new(DiagnosticCode.HugeCtrUnsupportedConfiguration, $"{Layer.Description}: {message}.", Layer.ConfigPath);
}
