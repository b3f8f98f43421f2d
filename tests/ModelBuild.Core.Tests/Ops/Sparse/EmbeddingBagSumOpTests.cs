using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of EmbeddingBagOffsetsSum and EmbeddingBagPackedSum.</summary>
public sealed class EmbeddingBagSumOpTests
{
    [Fact]
    public void Embedding_bag_ops_infer_bags_from_offsets_or_packed_rows_and_check_ranks()
    {
        var table = Node.CreateParameter(ElementType.F32, PartialShape.Of(Dimension.Dynamic, 4, 3), "table").Output();
        var indices = Node.CreateParameter(ElementType.I32, PartialShape.Of(Dimension.Dynamic), "indices").Output();
        var offsets = Node.CreateParameter(ElementType.I32, PartialShape.Of(Dimension.Dynamic), "offsets").Output();
        var packed = Node.CreateParameter(ElementType.I64, PartialShape.Static(5, 2), "packed").Output();

        var offsetsSum = Node.Create(SparseOps.EmbeddingBagOffsetsSum, [table, indices, offsets]);
        var packedSum = Node.Create(SparseOps.EmbeddingBagPackedSum, [table, packed]);

        Assert.Equal(PartialShape.Of(Dimension.Dynamic, 4, 3), offsetsSum.Outputs[0].Shape);
        Assert.Equal(PartialShape.Static(5, 4, 3), packedSum.Outputs[0].Shape);
        var error = Assert.Throws<InferenceException>(() => Node.Create(SparseOps.EmbeddingBagPackedSum, [table, indices]));
        Assert.Contains("indices must have rank 2", error.Message, StringComparison.Ordinal);
        var mixed = Assert.Throws<InferenceException>(() => Node.Create(SparseOps.EmbeddingBagOffsetsSum, [table, indices, packed]));
        Assert.Contains("the indices are i32", mixed.Message, StringComparison.Ordinal);
    }
}
