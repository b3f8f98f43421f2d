using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>Type and shape inference of MatMul, Einsum, TopK and SoftMax on partial shapes.</summary>
public sealed class LinearAlgebraOpInferenceTests
{
    private static readonly GraphBuilder Builder = new();

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

    [Fact]
    public void Einsum_merges_label_dims_and_broadcasts_ellipses()
    {
        var y = Builder.Make(MatrixOps.Einsum, [Parameter(ElementType.F32, "?,1,2,?"), Parameter(ElementType.F32, "7,3,4")], ("equation", "...ij,...jk->...ki"));

        Assert.Equal(PartialShape.Parse("?,7,4,2"), y.Shape);
    }

    [Fact]
    public void Einsum_output_rank_is_unknown_when_an_ellipsis_input_has_unknown_rank()
    {
        var y = Builder.Make(MatrixOps.Einsum, [Parameter(ElementType.F32, "..."), Parameter(ElementType.F32, "3")], ("equation", "...i,i->..."));

        Assert.False(y.Shape.IsRankStatic);
    }

    [Theory]
    [InlineData("ij,jk->ik", "2,3", "4,5", "label 'j'")]
    [InlineData("ij->ii", "2,2", null, "must occur once in the output")]
    [InlineData("i1->i", "2,2", null, "must be letters")]
    [InlineData("ijk->i", "2,2", null, "does not match its subscript")]
    public void Einsum_rejects_inconsistent_equations(string equation, string first, string? second, string message)
    {
        Output[] inputs = second is null ? [Parameter(ElementType.F32, first)] : [Parameter(ElementType.F32, first), Parameter(ElementType.F32, second)];

        var error = Assert.Throws<InferenceException>(() => Builder.Make(MatrixOps.Einsum, inputs, ("equation", equation)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopK_with_unknown_k_bounds_the_axis_by_its_length()
    {
        var outputs = Builder.MakeMulti(TopKOps.TopK, [Parameter(ElementType.F32, "2,10"), Parameter(ElementType.I64, "")],
            ("axis", -1L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64));

        Assert.Equal(PartialShape.Of(2, new Dimension(0, 10)), outputs[0].Shape);
        Assert.Equal(ElementType.I64, outputs[1].Type);
    }

    [Fact]
    public void TopK_with_k_beyond_the_axis_returns_the_whole_axis()
    {
        var outputs = Builder.MakeMulti(TopKOps.TopK, [Parameter(ElementType.F32, "2,3"), Builder.Int64(5)],
            ("axis", 1L), ("mode", "min"), ("sort", "index"));

        Assert.Equal(PartialShape.Static(2, 3), outputs[0].Shape);
        Assert.Equal(ElementType.I32, outputs[1].Type);
    }

    [Fact]
    public void TopK_rejects_unknown_modes_and_non_scalar_k()
    {
        var mode = Assert.Throws<InferenceException>(() => Builder.MakeMulti(TopKOps.TopK, [Parameter(ElementType.F32, "3"), Builder.Int64(1)],
            ("axis", 0L), ("mode", "largest"), ("sort", "value")));
        var k = Assert.Throws<InferenceException>(() => Builder.MakeMulti(TopKOps.TopK, [Parameter(ElementType.F32, "3"), Builder.Int64s(1)],
            ("axis", 0L), ("mode", "max"), ("sort", "value")));

        Assert.Contains("mode 'largest'", mode.Message, StringComparison.Ordinal);
        Assert.Contains("scalar", k.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SoftMax_needs_floats_and_an_axis_in_range()
    {
        var integers = Assert.Throws<InferenceException>(() => Builder.Make(SoftmaxOps.SoftMax, [Parameter(ElementType.I32, "2,3")]));
        var axis = Assert.Throws<InferenceException>(() => Builder.Make(SoftmaxOps.LogSoftmax, [Parameter(ElementType.F32, "2,3")], ("axis", -3L)));
        var dynamic = Builder.Make(SoftmaxOps.SoftMax, [Parameter(ElementType.F16, "...")], ("axis", 5L));

        Assert.Contains("i32", integers.Message, StringComparison.Ordinal);
        Assert.Contains("axis -3", axis.Message, StringComparison.Ordinal);
        Assert.False(dynamic.Shape.IsRankStatic);
    }

    private static Output Parameter(ElementType type, string shape) => Node.CreateParameter(type, PartialShape.Parse(shape), "p").Output();
}
