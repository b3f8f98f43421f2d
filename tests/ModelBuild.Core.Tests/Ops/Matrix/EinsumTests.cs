using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of Einsum on partial shapes.</summary>
public sealed class EinsumTests
{
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
}
