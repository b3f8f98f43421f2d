using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Inference of NonMaxSuppression.</summary>
public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void NonMaxSuppression_bounds_the_selection_when_the_maximum_is_constant()
    {
        var bounded = Builder.MakeMulti(SortOps.NonMaxSuppression, [Parameter(ElementType.F32, "2,6,4"), Parameter(ElementType.F32, "2,3,6"), Builder.Int64(4)]);
        var open = Builder.MakeMulti(SortOps.NonMaxSuppression, [Parameter(ElementType.F32, "2,6,4"), Parameter(ElementType.F32, "2,3,6"), Parameter(ElementType.I64, "")]);

        // min(6 boxes, 4) per class, 3 classes, 2 batches.
        Assert.Equal(PartialShape.Parse("0..24,3"), bounded[0].Shape);
        Assert.Equal(ElementType.F32, bounded[1].Type);
        Assert.Equal(PartialShape.Parse("1"), bounded[2].Shape);
        Assert.Equal(PartialShape.Parse("?,3"), open[0].Shape);
    }

    [Fact]
    public void NonMaxSuppression_rejects_boxes_that_are_not_quadruples()
    {
        var error = Assert.Throws<InferenceException>(() =>
            Builder.MakeMulti(SortOps.NonMaxSuppression, [Parameter(ElementType.F32, "1,6,5"), Parameter(ElementType.F32, "1,1,6")]));

        Assert.Contains("[batches, boxes, 4]", error.Message, StringComparison.Ordinal);
    }
}
