using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

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
