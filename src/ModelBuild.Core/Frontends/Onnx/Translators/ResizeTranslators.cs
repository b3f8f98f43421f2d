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
    /// <summary>Resize-10 and Upsample-7/9: scales only, asymmetric coordinates, nearest truncates (OpenVINO "simple").</summary>
    public static IReadOnlyList<Output> Upsample(OnnxNodeContext context)
    {
        var b = context.Graph;
        var mode = context.GetString("mode", "nearest");
        if (mode is not ("nearest" or "linear" or "bilinear"))
        {
            throw context.Error($"mode '{mode}' is not nearest or linear");
        }

        Output scales;
        if (context.OpType == "Upsample" && context.Opset < 9)
        {
            var values = context.GetFloats("scales") ?? throw context.Error("attribute 'scales' is required");
            scales = b.Constant(Tensor.FromArray(values, values.Length));
        }
        else
        {
            scales = b.Convert(context.Input(1), ElementType.F32);
        }

        return [b.Make(ImageOps.Interpolate, [context.Input(0), scales],
            ("mode", mode == "nearest" ? "nearest" : "linear_onnx"),
            ("shape_calculation_mode", "scales"),
            ("coordinate_transformation_mode", "asymmetric"),
            ("nearest_mode", "simple"))];
    }

    /// <summary>Resize-11 and later: (X, roi, scales, sizes), opset 18 adds axes, antialias and keep_aspect_ratio_policy.</summary>
    public static IReadOnlyList<Output> Resize(OnnxNodeContext context)
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

    /// <summary>GridSample-16/20: bilinear/linear, bicubic/cubic, nearest; 4-D only (OpenVINO's GridSample-9).</summary>
    public static IReadOnlyList<Output> GridSample(OnnxNodeContext context)
    {
        var x = context.Input(0);
        if (x.Shape.IsRankStatic && x.Shape.Rank != 4)
        {
            throw context.Error($"only 4-D inputs are supported, not rank {x.Shape.Rank}");
        }

        var mode = context.GetString("mode", context.Opset >= 20 ? "linear" : "bilinear") switch
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

        return [b.Make(ImageOps.GridSample, [x, grid], ("align_corners", alignCorners), ("mode", mode), ("padding_mode", padding))];
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

/// <summary>
/// ONNX Resize built from elementary ops, one axis at a time (every mode is separable): for each
/// output index the source coordinate is computed as the ONNX reference does, then the taps around
/// it are gathered, weighted, and summed. Coordinates and weights are small 1-D/2-D graphs that fold
/// to constants when shapes and scales are known.
/// </summary>
internal sealed class SeparableResize(OnnxNodeContext context, ResizeSettings settings)
{
    private readonly GraphBuilder _b = context.Graph;

    public Output Build()
    {
        var x = context.Input(0);
        if (!x.Shape.IsRankStatic)
        {
            throw context.Error("this resize needs an input of known rank");
        }

        var rank = x.Shape.Rank;
        var axes = settings.Axes ?? Enumerable.Range(0, rank).Select(a => (long)a).ToArray();
        var computeType = x.Type.IsFloatingPoint() ? x.Type : ElementType.F32;
        var value = settings.Mode == "nearest" ? x : _b.Convert(x, computeType);
        var shape = _b.ShapeOf(x);
        var (scales, lengths) = ScalesAndLengths(shape, axes);
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = (int)axes[i];
            var inputLength = F32(_b.Gather(shape, _b.Int64(axis), 0));
            var coordinate = SourceCoordinates(i, axes.Length, axis, rank, scales[i], lengths[i], inputLength);
            value = settings.Mode == "nearest"
                ? _b.Gather(value, ToIndex(Clamp(NearestIndex(coordinate), inputLength)), axis)
                : Weighted(value, axis, rank, coordinate, scales[i], inputLength, computeType);
            if (settings.CoordinateMode == "tf_crop_and_resize")
            {
                var outside = _b.Make(LogicalOps.LogicalOr, [
                    _b.Make(ComparisonOps.Less, [coordinate, Scalar(0)]),
                    _b.Make(ComparisonOps.Greater, [coordinate, _b.Subtract(inputLength, Scalar(1))])]);
                var extrapolated = _b.Scalar(value.Type, settings.ExtrapolationValue);
                value = _b.Select(TrailingOnes(outside, rank - 1 - axis), extrapolated, value);
            }
        }

        return _b.Convert(value, x.Type);
    }

    /// <summary>
    /// Per resized axis: the scale (f32 scalar) and the output length (i64 scalar). From sizes the
    /// scale is output/input, or one scale for all axes under keep_aspect_ratio_policy with the
    /// lengths rounded half up; from scales the length is floor(scale · input).
    /// </summary>
    private (Output[] Scales, Output[] Lengths) ScalesAndLengths(Output shape, long[] axes)
    {
        var inputLengths = F32(_b.Gather(shape, _b.Int64s(axes), 0));
        var count = axes.Length;
        if (settings.Sizes is { } sizesInput)
        {
            var sizes = _b.Convert(sizesInput, ElementType.I64);
            var ratios = _b.Divide(F32(sizes), inputLengths);
            if (settings.KeepAspectRatioPolicy == "stretch")
            {
                return (Split(ratios, count), Split(sizes, count));
            }

            var reduction = settings.KeepAspectRatioPolicy == "not_larger" ? ReductionOps.ReduceMin : ReductionOps.ReduceMax;
            var scale = _b.Make(reduction, [ratios, _b.Int64s(0)], ("keep_dims", false));
            var rounded = _b.Make(ArithmeticOps.Floor, [_b.Add(_b.Multiply(inputLengths, scale), Scalar(0.5))]);
            return (Enumerable.Repeat(scale, count).ToArray(), Split(_b.Convert(rounded, ElementType.I64), count));
        }

        var scales = _b.Convert(settings.Scales!.Value, ElementType.F32);
        var lengths = _b.Convert(_b.Make(ArithmeticOps.Floor, [_b.Multiply(scales, inputLengths)]), ElementType.I64);
        return (Split(scales, count), Split(lengths, count));
    }

    /// <summary>x_original for every output index of one axis (an f32 vector), per coordinate_transformation_mode.</summary>
    private Output SourceCoordinates(int index, int axisCount, int axis, int rank, Output scale, Output length, Output inputLength)
    {
        var resized = F32(_b.Range(length));

        // The ONNX reference measures the output in scale · input, which need not be a whole number.
        var outputWidth = _b.Multiply(scale, inputLength);
        var halfPixel = _b.Subtract(_b.Divide(_b.Add(resized, Scalar(0.5)), scale), Scalar(0.5));
        var single = _b.Make(ComparisonOps.Equal, [outputWidth, Scalar(1)]);
        var lastInput = _b.Subtract(inputLength, Scalar(1));
        switch (settings.CoordinateMode)
        {
            case "asymmetric":
                return _b.Divide(resized, scale);
            case "tf_half_pixel_for_nn":
                return _b.Divide(_b.Add(resized, Scalar(0.5)), scale);
            case "pytorch_half_pixel":
                return _b.Select(single, Scalar(-0.5), halfPixel);
            case "align_corners":
                return _b.Select(single, Scalar(0), _b.Divide(_b.Multiply(resized, lastInput), _b.Subtract(outputWidth, Scalar(1))));
            case "half_pixel_symmetric":
                // Centers the resized region on the input when the output length was rounded down.
                var adjustment = _b.Divide(F32(length), outputWidth);
                var offset = _b.Multiply(_b.Divide(inputLength, Scalar(2)), _b.Subtract(Scalar(1), adjustment));
                return _b.Add(offset, halfPixel);
            case "tf_crop_and_resize":
                var (start, end) = RoiBounds(index, axisCount, axis, rank);
                var extent = _b.Multiply(_b.Subtract(end, start), lastInput);
                var spread = _b.Select(single, _b.Divide(extent, Scalar(2)), _b.Divide(_b.Multiply(resized, extent), _b.Subtract(outputWidth, Scalar(1))));
                return _b.Add(spread, _b.Multiply(start, lastInput));
            default:
                return halfPixel;
        }
    }

    /// <summary>roi holds all starts then all ends, one per resized axis (per input axis without the axes attribute).</summary>
    private (Output Start, Output End) RoiBounds(int index, int axisCount, int axis, int rank)
    {
        var roi = F32(settings.Roi ?? throw context.Error("tf_crop_and_resize needs the roi input"));
        var (startAt, endAt) = settings.Axes is null ? (axis, rank + axis) : (index, axisCount + index);
        return (_b.Gather(roi, _b.Int64(startAt), 0), _b.Gather(roi, _b.Int64(endAt), 0));
    }

    private Output NearestIndex(Output coordinate) => settings.NearestMode switch
    {
        "round_prefer_ceil" => _b.Make(ArithmeticOps.Floor, [_b.Add(coordinate, Scalar(0.5))]),
        "floor" => _b.Make(ArithmeticOps.Floor, [coordinate]),
        "ceil" => _b.Make(ArithmeticOps.Ceiling, [coordinate]),
        _ => _b.Make(ArithmeticOps.Ceiling, [_b.Subtract(coordinate, Scalar(0.5))]),
    };

    /// <summary>
    /// Linear or cubic resampling of one axis: taps base + k around base = ceil(x) − 1 (so the
    /// fraction r = x − base is in (0, 1]), weighted by the kernel of |k − r| (stretched by the scale
    /// when antialiasing a downsample), out-of-range taps clamped to the edge or, with
    /// exclude_outside, dropped and the weights renormalized.
    /// </summary>
    private Output Weighted(Output value, int axis, int rank, Output coordinate, Output scale, Output inputLength, ElementType computeType)
    {
        var cubic = settings.Mode == "cubic";
        var support = cubic ? 2.0 : 1.0;
        var stretch = settings.Antialias ? Math.Min(ConstantScale(scale), 1.0) : 1.0;
        var first = (long)Math.Floor(-support / stretch) + 1;
        var offsets = Enumerable.Range(0, (int)(2 - 2 * first)).Select(k => first + k).ToArray();

        var baseIndex = _b.Subtract(_b.Make(ArithmeticOps.Ceiling, [coordinate]), Scalar(1));
        var fraction = _b.Unsqueeze(_b.Subtract(coordinate, baseIndex), 1);
        var offsetValues = _b.Constant(Tensor.FromDoubles(ElementType.F32, Array.ConvertAll(offsets, o => (double)o), [offsets.Length]));
        var distance = _b.Make(ArithmeticOps.Abs, [_b.Subtract(offsetValues, fraction)]);
        if (stretch != 1.0)
        {
            distance = _b.Multiply(distance, Scalar(stretch));
        }

        var weights = cubic ? CubicKernel(distance) : _b.Make(ArithmeticOps.Maximum, [_b.Subtract(Scalar(1), distance), Scalar(0)]);
        var taps = _b.Add(_b.Unsqueeze(baseIndex, 1), offsetValues);
        var normalize = settings.Antialias;
        if (settings.ExcludeOutside)
        {
            var inside = _b.Make(LogicalOps.LogicalAnd, [
                _b.Make(ComparisonOps.GreaterEqual, [taps, Scalar(0)]),
                _b.Make(ComparisonOps.Less, [taps, inputLength])]);
            weights = _b.Select(inside, weights, Scalar(0));
            normalize = true;
        }

        if (normalize)
        {
            weights = _b.Divide(weights, _b.Make(ReductionOps.ReduceSum, [weights, _b.Int64s(1)], ("keep_dims", true)));
        }

        var gathered = _b.Gather(value, ToIndex(Clamp(taps, inputLength)), axis);
        var product = _b.Multiply(gathered, TrailingOnes(_b.Convert(weights, computeType), rank - 1 - axis));
        return _b.Make(ReductionOps.ReduceSum, [product, _b.Int64s(axis + 1)], ("keep_dims", false));
    }

    /// <summary>Keys' cubic kernel with coefficient A: (A+2)d³ − (A+3)d² + 1 up to 1, Ad³ − 5Ad² + 8Ad − 4A up to 2, then 0.</summary>
    private Output CubicKernel(Output distance)
    {
        double a = settings.CubicCoefficient;
        var d2 = _b.Multiply(distance, distance);
        var d3 = _b.Multiply(d2, distance);
        var near = _b.Add(_b.Subtract(_b.Multiply(d3, Scalar(a + 2)), _b.Multiply(d2, Scalar(a + 3))), Scalar(1));
        var far = _b.Subtract(_b.Add(_b.Subtract(_b.Multiply(d3, Scalar(a)), _b.Multiply(d2, Scalar(5 * a))), _b.Multiply(distance, Scalar(8 * a))), Scalar(4 * a));
        var farOrZero = _b.Select(_b.Make(ComparisonOps.Less, [distance, Scalar(2)]), far, Scalar(0));
        return _b.Select(_b.Make(ComparisonOps.LessEqual, [distance, Scalar(1)]), near, farOrZero);
    }

    /// <summary>The antialias filter width depends on the scale, so the scale must be known when converting.</summary>
    private double ConstantScale(Output scale) =>
        OnnxNodeContext.ConstantValue(scale)?.GetDouble(0)
            ?? throw context.Error("antialias needs constant scales (or constant sizes and a static input shape)");

    private Output Clamp(Output index, Output inputLength) =>
        _b.Make(ArithmeticOps.Maximum, [_b.Make(ArithmeticOps.Minimum, [index, _b.Subtract(inputLength, Scalar(1))]), Scalar(0)]);

    private Output ToIndex(Output value) => _b.Convert(value, ElementType.I64);

    private Output F32(Output value) => _b.Convert(value, ElementType.F32);

    private Output Scalar(double value) => _b.Scalar(ElementType.F32, value);

    /// <summary>A vector's elements as scalars.</summary>
    private Output[] Split(Output vector, int count) =>
        Enumerable.Range(0, count).Select(i => _b.Gather(vector, _b.Int64(i), 0)).ToArray();

    /// <summary>Appends <paramref name="count"/> axes of length 1 so a per-output-index tensor lines up with the resized axis.</summary>
    private Output TrailingOnes(Output value, int count)
    {
        var rank = value.Shape.Rank;
        return count == 0 ? value : _b.Unsqueeze(value, Enumerable.Range(rank, count).Select(a => (long)a).ToArray());
    }
}
