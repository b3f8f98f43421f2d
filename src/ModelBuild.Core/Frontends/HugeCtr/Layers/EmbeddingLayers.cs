using ModelBuild.Core.Graph;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>Sparse embedding layers (DistributedSlot and LocalizedSlot hash embeddings).</summary>
internal static class EmbeddingLayers
{
    /// <summary>
    /// Keys [B, slots, nnz] → rows of the key→row table → embedding vectors [B, slots, nnz, vec], combined
    /// over the nnz axis by sum or mean. The mean divides by the padded nnz, not by the keys present,
    /// exactly as hugectr2onnx does (its ReduceMean); padding keys map to the zero row.
    /// Without converted embeddings the layer's output becomes a model input instead.
    /// </summary>
    public static void SparseEmbedding(LayerContext context)
    {
        var layer = context.Layer;
        var vocabulary = layer.Integer("sparse_embedding_hparam", "max_vocabulary_size_global");
        var vectorSize = layer.Integer("sparse_embedding_hparam", "embedding_vec_size");
        var combiner = layer.String("sparse_embedding_hparam", "combiner");
        if (combiner is not ("sum" or "mean"))
        {
            throw context.Malformed($"has the combiner '{combiner}'; HugeCTR combines embeddings by 'sum' or 'mean'");
        }

        if (vocabulary < 0 || vectorSize <= 0)
        {
            throw context.Malformed($"has max_vocabulary_size_global {vocabulary} and embedding_vec_size {vectorSize}");
        }

        var (bottom, top) = (context.Bottom, context.Top);
        var keys = context.Shape(bottom);
        if (keys.Rank != 2)
        {
            throw context.Malformed($"reads '{bottom}', which is not a sparse input of the Data layer");
        }

        var shape = SampleShape.Of(keys[0], vectorSize);
        context.SetShape(top, shape);
        var embedding = context.EmbeddingTable(vocabulary, vectorSize);
        if (embedding is null)
        {
            context.Graph.Input(top, ElementType.F32, shape);
            return;
        }

        var (folder, keySpace) = embedding.Value;

        var graph = context.Graph;
        var table = graph.Initializer($"{top}_embedding_table", ElementType.F32, [vocabulary + 1, vectorSize], folder.EmbeddingTable);
        var keyToRow = graph.Initializer($"{top}_hash_table", ElementType.I64, [keySpace], folder.KeyToRow);
        var rows = graph.Intermediate("Gather", [keyToRow, bottom], $"{top}_indice", Int("axis", 0));
        var vectors = graph.Intermediate("Gather", [table, rows], $"{top}_embedding_feature", Int("axis", 0));
        graph.Node(combiner == "sum" ? "ReduceSum" : "ReduceMean", [vectors], top, Ints("axes", -2), Int("keepdims", 0));
    }
}
