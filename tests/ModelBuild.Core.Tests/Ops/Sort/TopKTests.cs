using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of TopK on partial shapes.</summary>
public sealed class TopKTests
{
    [Fact]
    public void TopK_with_unknown_k_bounds_the_axis_by_its_length()
    {
        var outputs = Builder.MakeMulti(SortOps.TopK, [Parameter(ElementType.F32, "2,10"), Parameter(ElementType.I64, "")],
            ("axis", -1L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64));

        Assert.Equal(PartialShape.Of(2, new Dimension(0, 10)), outputs[0].Shape);
        Assert.Equal(ElementType.I64, outputs[1].Type);
    }

    [Fact]
    public void TopK_with_k_beyond_the_axis_returns_the_whole_axis()
    {
        var outputs = Builder.MakeMulti(SortOps.TopK, [Parameter(ElementType.F32, "2,3"), Builder.Int64(5)],
            ("axis", 1L), ("mode", "min"), ("sort", "index"));

        Assert.Equal(PartialShape.Static(2, 3), outputs[0].Shape);
        Assert.Equal(ElementType.I32, outputs[1].Type);
    }

    [Fact]
    public void TopK_rejects_unknown_modes_and_non_scalar_k()
    {
        var mode = Assert.Throws<InferenceException>(() => Builder.MakeMulti(SortOps.TopK, [Parameter(ElementType.F32, "3"), Builder.Int64(1)],
            ("axis", 0L), ("mode", "largest"), ("sort", "value")));
        var k = Assert.Throws<InferenceException>(() => Builder.MakeMulti(SortOps.TopK, [Parameter(ElementType.F32, "3"), Builder.Int64s(1)],
            ("axis", 0L), ("mode", "max"), ("sort", "value")));

        Assert.Contains("mode 'largest'", mode.Message, StringComparison.Ordinal);
        Assert.Contains("scalar", k.Message, StringComparison.Ordinal);
    }
}
