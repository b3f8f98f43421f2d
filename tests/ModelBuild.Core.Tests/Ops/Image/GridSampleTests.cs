using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Inference and kernel of GridSample.</summary>
public sealed class GridSampleTests
{
    [Fact]
    public void GridSample_merges_batches_and_rejects_a_grid_of_other_batches()
    {
        var y = Builder.Make(ImageOps.GridSample, [Parameter(ElementType.F32, "?,3,8,8"), Parameter(ElementType.F32, "2,5,6,2")]);
        var error = Assert.Throws<InferenceException>(() =>
            Builder.Make(ImageOps.GridSample, [Parameter(ElementType.F32, "1,3,8,8"), Parameter(ElementType.F32, "2,5,6,2")]));

        Assert.Equal(PartialShape.Parse("2,3,5,6"), y.Shape);
        Assert.Contains("batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridSample_reflects_indices_about_the_pixel_edges()
    {
        var grid = Constant([-2f, 0f, 2f, 0f], 1, 1, 2, 2);
        var y = Builder.Make(ImageOps.GridSample, [Constant([1f, 2f, 3f, 4f], 1, 1, 1, 4), grid], ("mode", "nearest"), ("padding_mode", "reflection"));

        // x = ((−2 + 1) · 4 − 1) / 2 = −2.5 → −2 (half to even) → mirrors to 1; x = 5.5 → 6 → mirrors to 1.
        Assert.Equal([2f, 2f], Value(y).As<float>());
    }
}
