using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SparseOps
{
    public static readonly OpDefinition EmbeddingBagPackedSum = EmbeddingBagSumOp.Packed();
}
