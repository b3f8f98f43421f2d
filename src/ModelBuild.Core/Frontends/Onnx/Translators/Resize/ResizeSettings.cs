using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>The attributes and inputs of one Resize node, with defaults applied and empty inputs dropped.</summary>
internal sealed record ResizeSettings(
    string Mode,
    string CoordinateMode,
    string NearestMode,
    float CubicCoefficient,
    bool ExcludeOutside,
    float ExtrapolationValue,
    bool Antialias,
    string KeepAspectRatioPolicy,
    long[]? Axes,
    Output? Roi,
    Output? Scales,
    Output? Sizes)
{
    /// <summary>True when Interpolate cannot express the node and the separable decomposition is used.</summary>
    public bool NeedsDecomposition(Output x) =>
        CoordinateMode is "tf_crop_and_resize" or "half_pixel_symmetric"
        || (Mode == "cubic" && ExcludeOutside)
        || (Antialias && Mode != "nearest")
        || (Sizes is not null && KeepAspectRatioPolicy != "stretch")
        || !OutputLengthsAgree(x);

    /// <summary>
    /// align_corners and pytorch_half_pixel measure the output as scale · input in ONNX, as its whole
    /// length in Interpolate: the same only when scale · input is whole, which constant scales and
    /// input dims can show. For cubic, pytorch_half_pixel also maps a single output to −0.5 in ONNX
    /// but to 0 in Interpolate, so no output length may be 1.
    /// </summary>
    private bool OutputLengthsAgree(Output x)
    {
        if (CoordinateMode is not ("align_corners" or "pytorch_half_pixel"))
        {
            return true;
        }

        var lengths = ResizedLengths(x);
        if (lengths is null)
        {
            return Scales is null && !(Mode == "cubic" && CoordinateMode == "pytorch_half_pixel");
        }

        var whole = lengths.All(l => Math.Abs(l - Math.Round(l)) < 1e-5);
        var single = Mode == "cubic" && CoordinateMode == "pytorch_half_pixel" && lengths.Any(l => Math.Floor(l) == 1);
        return whole && !single;
    }

    /// <summary>scale · input (sizes: the sizes) per resized axis, when known at conversion time.</summary>
    private double[]? ResizedLengths(Output x)
    {
        if (Sizes is { } sizes)
        {
            return OnnxNodeContext.ConstantValue(sizes)?.ToDoubleArray();
        }

        var scales = OnnxNodeContext.ConstantValue(Scales!.Value)?.ToDoubleArray();
        if (scales is null || !x.Shape.IsRankStatic)
        {
            return null;
        }

        var axes = Axes ?? Enumerable.Range(0, x.Shape.Rank).Select(a => (long)a).ToArray();
        if (axes.Length != scales.Length || axes.Any(a => !x.Shape[(int)a].IsStatic))
        {
            return null;
        }

        return axes.Select((a, i) => (float)scales[i] * (double)x.Shape[(int)a].Length).ToArray();
    }

    public static ResizeSettings Read(OnnxNodeContext context)
    {
        var mode = context.GetString("mode", "nearest");
        if (mode is not ("nearest" or "linear" or "cubic"))
        {
            throw context.Error($"mode '{mode}' is not nearest, linear or cubic");
        }

        var coordinateMode = context.GetString("coordinate_transformation_mode", "half_pixel");
        if (coordinateMode is not ("half_pixel" or "half_pixel_symmetric" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn" or "tf_crop_and_resize"))
        {
            throw context.Error($"coordinate_transformation_mode '{coordinateMode}' is not supported");
        }

        var nearestMode = context.GetString("nearest_mode", "round_prefer_floor");
        if (nearestMode is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
        {
            throw context.Error($"nearest_mode '{nearestMode}' is not supported");
        }

        var policy = context.GetString("keep_aspect_ratio_policy", "stretch");
        if (policy is not ("stretch" or "not_larger" or "not_smaller"))
        {
            throw context.Error($"keep_aspect_ratio_policy '{policy}' is not supported");
        }

        var scales = Present(context, 2);
        var sizes = Present(context, 3);
        if ((scales is null) == (sizes is null))
        {
            throw context.Error("exactly one of scales and sizes must be given");
        }

        return new ResizeSettings(
            mode,
            coordinateMode,
            nearestMode,
            context.GetFloat("cubic_coeff_a", -0.75f),
            context.GetInt("exclude_outside", 0) != 0,
            context.GetFloat("extrapolation_value", 0f),
            context.GetInt("antialias", 0) != 0,
            policy,
            NormalizedAxes(context),
            Present(context, 1),
            scales,
            sizes);
    }

    /// <summary>An optional input, or null when it is absent or statically empty (opset 11–12 pass empty tensors for unused inputs).</summary>
    private static Output? Present(OnnxNodeContext context, int index)
    {
        var input = context.OptionalInput(index);
        return input is { } value && value.Shape.IsStatic && value.Shape.ElementCount().Length == 0 ? null : input;
    }

    private static long[]? NormalizedAxes(OnnxNodeContext context)
    {
        var axes = context.GetInts("axes");
        if (axes is null)
        {
            return null;
        }

        var x = context.Input(0);
        if (axes.Any(a => a < 0) && !x.Shape.IsRankStatic)
        {
            throw context.Error("negative axes need an input of known rank");
        }

        var normalized = axes.Select(a => a < 0 ? a + x.Shape.Rank : a).ToArray();
        if (normalized.Distinct().Count() != normalized.Length || (x.Shape.IsRankStatic && normalized.Any(a => a < 0 || a >= x.Shape.Rank)))
        {
            throw context.Error($"axes [{string.Join(",", axes)}] are repeated or out of range");
        }

        return normalized;
    }
}
