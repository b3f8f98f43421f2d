using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of MatMul on partial shapes.</summary>
public sealed class MatMulTests
{
    [Fact]
    public void MatMul_broadcasts_batch_dims_and_keeps_dynamic_ones()
    {
        var y = Builder.Make(MatrixOps.MatMul, [Parameter(ElementType.F32, "?,1,3,2"), Parameter(ElementType.F32, "5,3,4")], ("transpose_a", true));

        Assert.Equal(PartialShape.Parse("?,5,2,4"), y.Shape);
    }

    [Fact]
    public void MatMul_of_two_vectors_is_a_scalar_and_of_unknown_rank_is_unknown()
    {
        var dot = Builder.Make(MatrixOps.MatMul, [Parameter(ElementType.F32, "4"), Parameter(ElementType.F32, "?")]);
        var unknown = Builder.Make(MatrixOps.MatMul, [Parameter(ElementType.F32, "4"), Parameter(ElementType.F32, "...")]);

        Assert.Equal(PartialShape.Scalar, dot.Shape);
        Assert.False(unknown.Shape.IsRankStatic);
    }

    [Fact]
    public void MatMul_rejects_mismatched_inner_dims_and_mixed_types()
    {
        var inner = Assert.Throws<InferenceException>(() =>
            Builder.Make(MatrixOps.MatMul, [Parameter(ElementType.F32, "2,3"), Parameter(ElementType.F32, "4,2")]));
        var types = Assert.Throws<InferenceException>(() =>
            Builder.Make(MatrixOps.MatMul, [Parameter(ElementType.F32, "2,3"), Parameter(ElementType.I32, "3,2")]));

        Assert.Contains("inner dimensions", inner.Message, StringComparison.Ordinal);
        Assert.Contains("i32", types.Message, StringComparison.Ordinal);
    }
}
