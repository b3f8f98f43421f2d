using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// ATen with <c>operator="embedding_bag"</c> (PyTorch's EmbeddingBag exported with the ATen
/// fallback, as DLRM does) → EmbeddingBagOffsetsSum-3 / EmbeddingBagPackedSum-3. Inputs: weight
/// (the table), indices, offsets (absent for 2-D packed indices), per_sample_weights. Only the
/// first of PyTorch's four outputs (the bag sums) is produced; using offset2bag, bag_size or
/// max_indices is an error.
/// </summary>
public static class EmbeddingTranslators
{
    public static IReadOnlyList<Output> Aten(OnnxNodeContext context)
    {
        var name = context.GetString("operator", "");
        if (name != "embedding_bag")
        {
            throw context.Error($"ATen operator '{name}' cannot be converted; only embedding_bag can");
        }

        var mode = context.GetInt("mode", 0);
        if (mode != 0)
        {
            throw context.Error($"embedding_bag mode {mode} ({(mode == 1 ? "mean" : "max")}) cannot be converted; only mode 0 (sum) can");
        }

        var b = context.Graph;
        var table = context.Input(0);
        var indices = context.Input(1);
        var weights = context.OptionalInput(3);
        if (context.OptionalInput(2) is not { } offsets)
        {
            return [b.Make(SparseOps.EmbeddingBagPackedSum, weights is null ? [table, indices] : [table, indices, weights.Value])];
        }

        if (context.GetInt("include_last_offset", 0) != 0)
        {
            offsets = DropLastOffset(b, offsets);
        }

        // Only weighted bags need the rank (to build the zero row of empty bags).
        var tableRank = table.Shape.IsRankStatic ? table.Shape.Rank : weights is null ? 0 : throw context.Error("the table rank must be known");
        return [OffsetsSum(b, table, tableRank, indices, offsets, weights)];
    }

    /// <summary>
    /// The offsets without their last entry, for PyTorch's include_last_offset: that entry only closes the
    /// last bag, which EmbeddingBagOffsetsSum does by itself.
    /// </summary>
    internal static Output DropLastOffset(GraphBuilder b, Output offsets)
    {
        var bags = b.Subtract(b.Gather(b.ShapeOf(offsets), b.Int64(0), 0), b.Int64(1));
        return b.Gather(offsets, b.Range(bags), 0);
    }

    /// <summary>
    /// EmbeddingBagOffsetsSum-3 over 1-D indices and offsets (converted to the indices' type), weighted when
    /// <paramref name="weights"/> is given; empty bags are zero, as in PyTorch.
    /// </summary>
    internal static Output OffsetsSum(GraphBuilder b, Output table, int tableRank, Output indices, Output offsets, Output? weights)
    {
        offsets = b.Convert(offsets, indices.Type);
        if (weights is null)
        {
            return b.Make(SparseOps.EmbeddingBagOffsetsSum, [table, indices, offsets]);
        }

        // Weights come after default_index, which must then be given: a row of zeros appended to the
        // table serves as the default, so empty bags stay zero as in PyTorch.
        var tableShape = b.ShapeOf(table);
        var rowShape = b.Gather(tableShape, b.Int64Range(1, tableRank - 1), 0);
        var zeroRow = b.Broadcast(b.ScalarLike(table, 0), b.Concat([b.Int64s(1), rowShape], 0));
        var extended = b.Concat([table, zeroRow], 0);
        var defaultIndex = b.Convert(b.Gather(tableShape, b.Int64(0), 0), indices.Type);
        return b.Make(SparseOps.EmbeddingBagOffsetsSum, [extended, indices, offsets, defaultIndex, weights.Value]);
    }
}
