using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// Interpolate-11 → Interpolate-4 (opset4). Version 11 takes scales or sizes in one input, as
/// <c>shape_calculation_mode</c> says; version 4 takes both and reads the one the mode names, so the other is given a
/// value of the right length (the input's dims for sizes, ones for scales). The pillow modes are only in version 11.
/// </summary>
internal static class InterpolateDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var mode = context.Attributes.GetString("mode");
        if (mode is "bilinear_pillow" or "bicubic_pillow")
        {
            throw context.Refuse($"mode {mode} does not exist in Interpolate-4");
        }

        var b = context.Graph;
        var data = context.Input(0);
        var given = context.Input(1);
        var axes = context.Node.Inputs.Count > 2 ? context.Input(2) : b.Int64Range(0, data.Shape.Rank);
        Output sizes, scales;
        if (context.Attributes.GetString("shape_calculation_mode") == "sizes")
        {
            sizes = given;
            scales = b.Broadcast(b.Scalar(ElementType.F32, 1), b.ShapeOf(axes));
        }
        else
        {
            sizes = b.Gather(b.ShapeOf(data), axes, 0);
            scales = given;
        }

        return context.As(ImageOps.InterpolateV4, [data, sizes, scales, axes]);
    }
}
