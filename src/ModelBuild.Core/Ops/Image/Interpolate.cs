using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Interpolate-4 (inputs: data, sizes, scales, [axes]) and Interpolate-11 (inputs: data,
/// scales_or_sizes, [axes]): resizes the given axes. Every mode except the Pillow ones is separable,
/// so the kernel resamples one axis at a time with per-output taps (source index, weight).
/// </summary>
public sealed class InterpolateOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.String("mode"),
        AttributeSpec.String("shape_calculation_mode"),
        AttributeSpec.String("coordinate_transformation_mode", "half_pixel"),
        AttributeSpec.String("nearest_mode", "round_prefer_floor"),
        AttributeSpec.Bool("antialias", false),
        AttributeSpec.Ints("pads_begin", [0]),
        AttributeSpec.Ints("pads_end", [0]),
        AttributeSpec.Float("cube_coeff", -0.75),
    ];

    private static readonly string[] Modes = ["nearest", "linear", "linear_onnx", "cubic", "bilinear_pillow", "bicubic_pillow"];
    private static readonly string[] CoordinateModes = ["half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn", "align_corners"];
    private static readonly string[] NearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"];

    public InterpolateOp(int version)
        : base("Interpolate", version, minInputs: version >= 11 ? 2 : 3, maxInputs: version >= 11 ? 3 : 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    private const int SizesInput = 1;

    private int ScalesInput => Version >= 11 ? 1 : 2;

    private int AxesInput => Version >= 11 ? 2 : 3;

    public override void Infer(InferenceContext context)
    {
        var attributes = context.Attributes;
        RequireOneOf(context, "mode", Modes);
        RequireOneOf(context, "shape_calculation_mode", ["sizes", "scales"]);
        RequireOneOf(context, "coordinate_transformation_mode", CoordinateModes);
        RequireOneOf(context, "nearest_mode", NearestModes);
        var type = context.InputType(0);
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"does not accept {type.IrName()} data");
        var byScales = attributes.GetString("shape_calculation_mode") == "scales";
        var shapeInput = byScales ? ScalesInput : SizesInput;
        var shapeType = context.InputType(shapeInput);
        context.Require(shapeType == ElementType.Dynamic || (byScales ? shapeType.IsFloatingPoint() : shapeType.IsInteger()),
            byScales ? $"scales must be floating-point, not {shapeType.IrName()}" : $"sizes must be integers, not {shapeType.IrName()}");
        for (var i = 1; i < context.InputCount; i++)
        {
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || shape.Rank == 1, $"input {i} must be 1-D, not {shape.ToDisplayString()}");
        }

        var data = context.InputShape(0);
        if (!data.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        var rank = data.Rank;
        var axes = Axes(context, rank);
        if (axes is null)
        {
            context.SetOutput(0, type, PartialShape.DynamicOfRank(rank));
            return;
        }

        var (padsBegin, padsEnd) = Pads(attributes, rank);
        var dims = data.Select((d, i) => d + Dimension.Of(padsBegin[i] + padsEnd[i])).ToArray();
        if (byScales)
        {
            var scales = context.InputValue(ScalesInput)?.ToDoubleArray();
            context.Require(scales is null || scales.Length >= axes.Length, $"{axes.Length} axes need as many scales, {scales?.Length} were given");
            for (var i = 0; i < axes.Length; i++)
            {
                dims[axes[i]] = scales is null ? Dimension.Dynamic : Scaled(dims[axes[i]], (float)scales[i]);
            }
        }
        else
        {
            var sizes = context.InputAsShape(SizesInput);
            context.Require(sizes is null || sizes.Rank >= axes.Length, $"{axes.Length} axes need as many sizes, {sizes?.Rank} were given");
            for (var i = 0; i < axes.Length; i++)
            {
                dims[axes[i]] = sizes is null ? Dimension.Dynamic : sizes[i];
            }
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    /// <summary>
    /// Each output element reads up to four taps per resized axis; an antialiased downsample widens the taps
    /// with the scale, up to the whole input.
    /// </summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var output = ShapeMath.ElementCount(context.OutputShape(0));
        var input = context.Input(0).ElementCount;
        return context.Attributes.GetBool("antialias")
            ? EvaluationBudget.Product(output, input)
            : EvaluationBudget.Product(output + input, 1L << (2 * Math.Min(context.Input(0).Rank, 4)));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var attributes = context.Attributes;
        var mode = attributes.GetString("mode");
        if (mode.EndsWith("_pillow", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Interpolate: the reference evaluator does not implement mode '{mode}'.");
        }

        var input = context.Input(0);
        var rank = input.Rank;
        var axes = context.InputCount > AxesInput ? NormalizeAxes(null, context.Input(AxesInput), rank) : AllAxes(rank);
        var (padsBegin, padsEnd) = Pads(attributes, rank);
        var shape = input.Shape.Select((d, i) => d + padsBegin[i] + padsEnd[i]).ToArray();
        var values = Padded(input, shape, padsBegin);
        var outputShape = context.OutputShape(0);
        var scales = new double[axes.Length];
        var byScales = attributes.GetString("shape_calculation_mode") == "scales";
        var givenScales = byScales ? context.Input(ScalesInput).ToDoubleArray() : null;
        for (var i = 0; i < axes.Length; i++)
        {
            scales[i] = givenScales is null ? (double)outputShape[axes[i]] / shape[axes[i]] : (float)givenScales[i];
        }

        var resampler = new AxisResampler(attributes, mode, scales.Any(s => s < 1));
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i];
            var taps = resampler.Taps(shape[axis], outputShape[axis], scales[i]);
            values = ResampleAxis(values, shape, axis, outputShape[axis], taps);
            shape[axis] = outputShape[axis];
        }

        return [Tensor.FromDoubles(input.Type, values, outputShape)];
    }

    /// <summary>OpenVINO's scaled output length: the scale plus 1e-6, multiplied and truncated in single precision.</summary>
    private static Dimension Scaled(Dimension dim, float scale)
    {
        if (scale == 1f)
        {
            return dim;
        }

        var factor = scale + 1.0e-6f;
        long Scale(long length) => (long)(length * factor);
        var max = dim.Max == Dimension.Unbounded ? Dimension.Unbounded : Scale(dim.Max);
        return dim.IsStatic ? Dimension.Of(max) : new Dimension(Math.Min(Scale(dim.Min), max), max);
    }

    private static void RequireOneOf(InferenceContext context, string attribute, string[] allowed)
    {
        var value = context.Attributes.GetString(attribute);
        context.Require(allowed.Contains(value), $"{attribute} '{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>The resized axes: every axis without the axes input, null while its value is unknown.</summary>
    private int[]? Axes(InferenceContext context, int rank)
    {
        if (context.InputCount <= AxesInput)
        {
            return AllAxes(rank);
        }

        var value = context.InputValue(AxesInput);
        return value is null ? null : NormalizeAxes(context, value, rank);
    }

    private static int[] AllAxes(int rank) => Enumerable.Range(0, rank).ToArray();

    /// <summary>Axes in input order, made non-negative; throws when one is out of range or repeated.</summary>
    private static int[] NormalizeAxes(InferenceContext? context, Tensor axes, int rank)
    {
        var values = axes.ToInt64Array();
        var normalized = values.Select(a => (int)(a < 0 ? a + rank : a)).ToArray();
        if (normalized.Any(a => a < 0 || a >= rank) || normalized.Distinct().Count() != normalized.Length)
        {
            var message = $"axes [{string.Join(",", values)}] are out of range for rank {rank} or repeated";
            throw context?.Error(message) ?? new InferenceException($"Interpolate: {message}");
        }

        return normalized;
    }

    /// <summary>Pads resized to the rank: missing entries are 0, extra entries are ignored.</summary>
    private static (long[] Begin, long[] End) Pads(Attributes attributes, int rank)
    {
        static long[] Fit(long[] pads, int rank) => Enumerable.Range(0, rank).Select(i => i < pads.Length ? pads[i] : 0).ToArray();
        return (Fit(attributes.GetInts("pads_begin"), rank), Fit(attributes.GetInts("pads_end"), rank));
    }

    /// <summary>The data as doubles inside a zero border of <paramref name="padsBegin"/> (and the rest of <paramref name="shape"/>).</summary>
    private static double[] Padded(Tensor input, long[] shape, long[] padsBegin)
    {
        var source = input.ToDoubleArray();
        if (Enumerable.SequenceEqual(shape, input.Shape))
        {
            return source;
        }

        var result = new double[ShapeMath.ElementCount(shape)];
        var strides = ShapeMath.Strides(shape);
        var offset = padsBegin.Select((p, i) => p * strides[i]).Sum();
        var map = Reference.IndexMaps.Strided(input.Shape, strides, offset);
        for (var i = 0; i < map.Length; i++)
        {
            result[map[i]] = source[i];
        }

        return result;
    }

    /// <summary>Replaces axis <paramref name="axis"/> (length shape[axis]) by <paramref name="length"/> outputs, each a weighted sum of its taps.</summary>
    private static double[] ResampleAxis(double[] values, long[] shape, int axis, long length, Tap[][] taps)
    {
        var outer = ShapeMath.ElementCount(shape.AsSpan(0, axis));
        var inner = ShapeMath.ElementCount(shape.AsSpan(axis + 1));
        var inputLength = shape[axis];
        var result = new double[outer * length * inner];
        for (long o = 0; o < outer; o++)
        {
            for (long j = 0; j < length; j++)
            {
                var target = (o * length + j) * inner;
                foreach (var tap in taps[j])
                {
                    var source = (o * inputLength + tap.Index) * inner;
                    for (long k = 0; k < inner; k++)
                    {
                        result[target + k] += tap.Weight * values[source + k];
                    }
                }
            }
        }

        return result;
    }

    private readonly record struct Tap(long Index, double Weight);

    /// <summary>Builds the taps of one axis for the node's mode, following the Interpolate-4 specification.</summary>
    private sealed class AxisResampler(Attributes attributes, string mode, bool downsampling)
    {
        private readonly string _coordinateMode = attributes.GetString("coordinate_transformation_mode");
        private readonly string _nearestMode = attributes.GetString("nearest_mode");
        private readonly bool _antialias = attributes.GetBool("antialias") && downsampling;
        private readonly double _cubeCoeff = attributes.GetFloat("cube_coeff");

        public Tap[][] Taps(long inputLength, long outputLength, double scale)
        {
            var taps = new Tap[outputLength][];
            for (long j = 0; j < outputLength; j++)
            {
                var x = OriginalCoordinate(j, scale, outputLength, inputLength);
                taps[j] = mode switch
                {
                    "nearest" => [new Tap(Math.Clamp(Nearest(x, scale < 1), 0, inputLength - 1), 1)],
                    "linear_onnx" => LinearOnnx(x, inputLength),
                    "cubic" => Cubic(x, inputLength),
                    _ => Triangle(x, inputLength, scale),
                };
            }

            return taps;
        }

        private double OriginalCoordinate(long resized, double scale, long lengthResized, long lengthOriginal) => _coordinateMode switch
        {
            "pytorch_half_pixel" => lengthResized > 1 ? (resized + 0.5) / scale - 0.5 : 0.0,
            "asymmetric" => resized / scale,
            "tf_half_pixel_for_nn" => (resized + 0.5) / scale,
            "align_corners" => lengthResized == 1 ? 0.0 : resized * (double)(lengthOriginal - 1) / (lengthResized - 1),
            _ => (resized + 0.5) / scale - 0.5,
        };

        private long Nearest(double x, bool isDownsample) => _nearestMode switch
        {
            "round_prefer_ceil" => (long)Math.Round(x, MidpointRounding.AwayFromZero),
            "floor" => (long)Math.Floor(x),
            "ceil" => (long)Math.Ceiling(x),
            "simple" => isDownsample ? (long)Math.Ceiling(x) : (long)x,
            _ => x == Math.Floor(x) + 0.5 ? (long)Math.Floor(x) : (long)Math.Round(x, MidpointRounding.AwayFromZero),
        };

        /// <summary>ONNX-style linear: the coordinate clamped into the axis, two neighbours (equal halves at the edge).</summary>
        private static Tap[] LinearOnnx(double x, long length)
        {
            var clamped = Math.Clamp(x, 0, length - 1);
            var low = Math.Min((long)clamped, length - 1);
            var high = Math.Min(low + 1, length - 1);
            if (low == high)
            {
                return [new Tap(low, 0.5), new Tap(high, 0.5)];
            }

            return [new Tap(low, Math.Abs(clamped - high)), new Tap(high, Math.Abs(clamped - low))];
        }

        /// <summary>Keys cubic convolution over the four neighbours, indices clamped into the axis.</summary>
        private Tap[] Cubic(double x, long length)
        {
            var start = (long)Math.Floor(x);
            var s = Math.Abs(x - start);
            var a = _cubeCoeff;
            double[] coefficients =
            [
                a * (s - 1.0) * (s - 1.0) * s,
                ((a + 2.0) * s - (a + 3.0)) * s * s + 1.0,
                (((-a - 2.0) * s + (2.0 * a + 3.0)) * s - a) * s,
                -a * s * s * (s - 1.0),
            ];
            return coefficients.Select((c, k) => new Tap(Math.Clamp(start + k - 1, 0, length - 1), c)).ToArray();
        }

        /// <summary>
        /// TensorFlow-style linear: a triangle filter around round(x), widened by 1/scale when
        /// antialiasing a downsample, over in-range neighbours only, normalized by the weight sum.
        /// </summary>
        private Tap[] Triangle(double x, long length, double scale)
        {
            var a = _antialias ? scale : 1.0;
            // Only in-range neighbours count, so the loop covers at most the axis whatever the scale (a tiny one widens the radius without bound).
            var radius = scale > 1.0 ? 2 : Math.Min((long)Math.Ceiling(2.0 / a), length);
            var center = Math.Clamp((long)Math.Round(x, MidpointRounding.ToEven), -radius, length + radius);
            var taps = new List<Tap>();
            for (var index = Math.Max(0, center - radius); index <= Math.Min(length - 1, center + radius); index++)
            {
                taps.Add(new Tap(index, a * Math.Max(0.0, 1.0 - Math.Abs(a * (x - index)))));
            }

            var sum = taps.Sum(t => t.Weight);
            return sum == 0 ? [] : taps.Select(t => t with { Weight = t.Weight / sum }).ToArray();
        }
    }
}

public static partial class ImageOps
{
    public static readonly OpDefinition Interpolate = new InterpolateOp(version: 11);
    public static readonly OpDefinition InterpolateV4 = new InterpolateOp(version: 4);
}
