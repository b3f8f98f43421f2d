namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// The files of a trained HugeCTR model besides its graph config, and how to convert it: the
/// arguments of <c>hugectr2onnx.converter.convert</c> (its <c>graph_config</c> is the conversion's input path).
/// </summary>
public sealed record HugeCtrOptions
{
    /// <summary>The dense weights file (<c>&lt;prefix&gt;_dense_&lt;iteration&gt;.model</c>).</summary>
    public required string DenseModelPath { get; init; }

    /// <summary>One sparse model folder (holding <c>key</c> and <c>emb_vector</c>) per embedding layer, in graph-config order; read only when <see cref="ConvertEmbedding"/> is set.</summary>
    public IReadOnlyList<string> SparseModelPaths { get; init; } = [];

    /// <summary>
    /// True: the embedding tables go into the model, whose inputs are the dense features and the sparse keys.
    /// False: the model starts after the embeddings; its inputs are the dense features and the embedding vectors.
    /// </summary>
    public bool ConvertEmbedding { get; init; }

    /// <summary>The non-trainable parameters file (<c>&lt;dense model&gt;.ntp.json</c>); needed when the graph has BatchNorm layers.</summary>
    public string? NonTrainableParametersPath { get; init; }

    /// <summary>The ONNX graph name.</summary>
    public string GraphName { get; init; } = "hugectr";
}
