using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// ROIAlign-9 → ROIAlign-3 (opset3) in <c>aligned_mode</c> asymmetric, which is version 3's behaviour. The half-pixel
/// modes do not stretch boxes to at least one pixel, as version 3 does, so they have no version-3 form.
/// </summary>
internal static class RoiAlignDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var aligned = context.Attributes.GetString("aligned_mode");
        return aligned == "asymmetric"
            ? context.As(DetectionOps.RoiAlignV3)
            : throw context.Refuse($"aligned_mode {aligned} shifts boxes by half a pixel without ROIAlign-3's one-pixel minimum box size");
    }
}
