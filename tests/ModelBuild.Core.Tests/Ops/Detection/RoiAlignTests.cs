using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Inference of ROIAlign.</summary>
public sealed class RoiAlignTests
{
    [Fact]
    public void RoiAlign_output_is_rois_by_channels_by_the_pooled_size()
    {
        var y = Builder.Make(DetectionOps.RoiAlign, [Parameter(ElementType.F32, "?,16,20,20"), Parameter(ElementType.F32, "?,4"), Parameter(ElementType.I32, "7")],
            ("pooled_h", 3L), ("pooled_w", 2L), ("sampling_ratio", 0L), ("spatial_scale", 0.5), ("mode", "avg"));

        Assert.Equal(PartialShape.Parse("7,16,3,2"), y.Shape);
    }
}
