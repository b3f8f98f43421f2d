using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Resize, Upsample and GridSample. Resize becomes Interpolate-11 wherever Interpolate computes
/// what ONNX specifies; the ONNX features Interpolate lacks (tf_crop_and_resize with its
/// extrapolation value, half_pixel_symmetric, exclude_outside, antialias, keep_aspect_ratio_policy)
/// are built from elementary ops by <see cref="SeparableResize"/>, which follows the ONNX reference
/// formulas exactly.
/// </summary>
public static class ResizeTranslators
{
    /// <summary>Upsample-7: the scales are an attribute.</summary>
    public static IReadOnlyList<Output> UpsampleV7(OnnxNodeContext context) => [Upsample(context, ScalesAttribute)];

    /// <summary>Upsample-9 and later: the scales are an input.</summary>
    public static IReadOnlyList<Output> UpsampleV9(OnnxNodeContext context) => [Upsample(context, ScalesInput)];

    /// <summary>Resize-10: Upsample-9 under a new name.</summary>
    public static IReadOnlyList<Output> ResizeV10(OnnxNodeContext context) => [Upsample(context, ScalesInput)];

    /// <summary>Resize-11 and later: (X, roi, scales, sizes), opset 18 adds axes, antialias and keep_aspect_ratio_policy.</summary>
    public static IReadOnlyList<Output> ResizeV11(OnnxNodeContext context)
    {
        var settings = ResizeSettings.Read(context);
        if (settings.NeedsDecomposition(context.Input(0)))
        {
            return [new SeparableResize(context, settings).Build()];
        }

        var b = context.Graph;
        var x = context.Input(0);
        var bySizes = settings.Sizes is not null;
        List<Output> inputs = [x, bySizes ? b.Convert(settings.Sizes!.Value, ElementType.I64) : b.Convert(settings.Scales!.Value, ElementType.F32)];
        if (settings.Axes is not null)
        {
            inputs.Add(b.Int64s(settings.Axes));
        }

        return [b.Make(ImageOps.Interpolate, inputs,
            ("mode", settings.Mode == "linear" ? "linear_onnx" : settings.Mode),
            ("shape_calculation_mode", bySizes ? "sizes" : "scales"),
            ("coordinate_transformation_mode", settings.CoordinateMode),
            ("nearest_mode", settings.NearestMode),
            ("cube_coeff", (double)settings.CubicCoefficient))];
    }

    /// <summary>GridSample-16: modes bilinear (the default), bicubic and nearest.</summary>
    public static IReadOnlyList<Output> GridSampleV16(OnnxNodeContext context) => [GridSample(context, defaultMode: "bilinear")];

    /// <summary>GridSample-20 and later: modes renamed linear (the default) and cubic; the old names are accepted too.</summary>
    public static IReadOnlyList<Output> GridSampleV20(OnnxNodeContext context) => [GridSample(context, defaultMode: "linear")];

    /// <summary>Scales only, asymmetric coordinates, nearest truncates (OpenVINO "simple").</summary>
    private static Output Upsample(OnnxNodeContext context, Func<OnnxNodeContext, Output> readScales)
    {
        var b = context.Graph;
        var mode = context.GetString("mode", "nearest");
        if (mode is not ("nearest" or "linear" or "bilinear"))
        {
            throw context.Error($"mode '{mode}' is not nearest or linear");
        }

        var scales = readScales(context);
        return b.Make(ImageOps.Interpolate, [context.Input(0), scales],
            ("mode", mode == "nearest" ? "nearest" : "linear_onnx"),
            ("shape_calculation_mode", "scales"),
            ("coordinate_transformation_mode", "asymmetric"),
            ("nearest_mode", "simple"));
    }

    private static Output ScalesAttribute(OnnxNodeContext context)
    {
        var values = context.GetFloats("scales") ?? throw context.Error("attribute 'scales' is required");
        return context.Graph.Constant(Tensor.FromArray(values, values.Length));
    }

    private static Output ScalesInput(OnnxNodeContext context) => context.Graph.Convert(context.Input(1), ElementType.F32);

    /// <summary>GridSample-9 of OpenVINO: bilinear, bicubic or nearest; 4-D only.</summary>
    private static Output GridSample(OnnxNodeContext context, string defaultMode)
    {
        var x = context.Input(0);
        if (x.Shape.IsRankStatic && x.Shape.Rank != 4)
        {
            throw context.Error($"only 4-D inputs are supported, not rank {x.Shape.Rank}");
        }

        var mode = context.GetString("mode", defaultMode) switch
        {
            "linear" or "bilinear" => "bilinear",
            "cubic" or "bicubic" => "bicubic",
            "nearest" => "nearest",
            var other => throw context.Error($"mode '{other}' is not supported"),
        };
        var b = context.Graph;
        var alignCorners = context.GetInt("align_corners", 0) != 0;
        var padding = context.GetString("padding_mode", "zeros");
        var grid = b.Convert(context.Input(1), x.Type.IsFloatingPoint() ? x.Type : ElementType.F32);
        if (mode == "bicubic" && padding == "border")
        {
            grid = ClampOutsideGrid(b, x, grid, alignCorners);
        }

        return b.Make(ImageOps.GridSample, [x, grid], ("align_corners", alignCorners), ("mode", mode), ("padding_mode", padding));
    }

    /// <summary>
    /// With border padding ONNX moves a location outside the image onto the nearest edge pixel
    /// before interpolating, where OpenVINO only clamps the neighbour indices; the two differ for
    /// bicubic. Outside is beyond the normalized range [−1, 1]; the edge pixel centers are at ±1
    /// when aligning corners and at ±(1 − 1/size) otherwise.
    /// </summary>
    private static Output ClampOutsideGrid(GraphBuilder b, Output x, Output grid, bool alignCorners)
    {
        var one = b.ScalarLike(grid, 1);
        if (alignCorners)
        {
            return b.Make(ArithmeticOps.Minimum, [b.Make(ArithmeticOps.Maximum, [grid, b.ScalarLike(grid, -1)]), one]);
        }

        // Grid pairs are (x, y): widths first, then heights.
        var sizes = b.Convert(b.Gather(b.ShapeOf(x), b.Int64s(3, 2), 0), grid.Type);
        var edge = b.Subtract(one, b.Divide(one, sizes));
        var below = b.Make(ComparisonOps.Less, [grid, b.ScalarLike(grid, -1)]);
        var above = b.Make(ComparisonOps.Greater, [grid, one]);
        return b.Select(below, b.Make(ArithmeticOps.Negative, [edge]), b.Select(above, edge, grid));
    }
}
