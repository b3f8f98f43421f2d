using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear, per tensor, per axis (opset 13) and per block (opset 21),
/// and the integer operands of QLinearMatMul, QLinearConv, MatMulInteger and ConvInteger, in the form OpenVINO's
/// low-precision pipeline recognizes, as its own ONNX frontend writes it. Quantization with constant parameters is a
/// FakeQuantize with one level per value of the integer type, input range scale · (lowest − zero point) … scale ·
/// (highest − zero point) and output range lowest … highest, then a Convert to the integer type. Dequantization is
/// Convert → Subtract (zero point) → Multiply (scale); on a constant low-precision weight the Convert stays unfolded, so
/// the weight is stored as integers. FakeQuantize rounds (x − input_low) / step to even where ONNX rounds x / scale to
/// even and then adds the zero point: results agree except on ties with an odd zero point and where f32 rounding of the
/// range arithmetic moves a value across a tie, by one quantization step at most. Quantization with parameters computed
/// at run time (DynamicQuantizeLinear, its expanded form) keeps the exact ONNX formula.
/// </summary>
public static class QuantizationTranslators
{
    // Integer types whose constants stay integer (compressed weights), and the types quantization produces.
    private static readonly HashSet<ElementType> LowPrecisionWeightTypes =
        [ElementType.I4, ElementType.U4, ElementType.I8, ElementType.U8, ElementType.I16, ElementType.U16];

    /// <summary>QuantizeLinear-10: per tensor, or per axis 1 with 1-D scale and zero point.</summary>
    public static IReadOnlyList<Output> QuantizeLinearV10(OnnxNodeContext context) => [QuantizeLinear(context, axisAttribute: false)];

    /// <summary>QuantizeLinear-13 and later: the per-axis axis is an attribute; opset 21 adds blocks and output_dtype.</summary>
    public static IReadOnlyList<Output> QuantizeLinearV13(OnnxNodeContext context) => [QuantizeLinear(context, axisAttribute: true)];

    /// <summary>DequantizeLinear-10: per tensor, or per axis 1 with 1-D scale and zero point.</summary>
    public static IReadOnlyList<Output> DequantizeLinearV10(OnnxNodeContext context) => [DequantizeLinear(context, axisAttribute: false)];

    /// <summary>DequantizeLinear-13 and later: the per-axis axis is an attribute; opset 21 adds blocks.</summary>
    public static IReadOnlyList<Output> DequantizeLinearV13(OnnxNodeContext context) => [DequantizeLinear(context, axisAttribute: true)];

    /// <summary>
    /// QLinearMatMul: both operands dequantized (A per tensor or per row, B per tensor or per
    /// column), multiplied in floating point, and the product quantized with y's scale and zero point.
    /// </summary>
    public static IReadOnlyList<Output> QLinearMatMul(OnnxNodeContext context)
    {
        var a = context.Input(0);
        Output PerRow(Output parameter) => parameter.Shape is { IsRankStatic: true, Rank: 1 } && a.Shape is { IsRankStatic: true, Rank: >= 2 }
            ? context.Graph.Unsqueeze(parameter, -1)
            : parameter;

        var left = Dequantize(context, a, PerRow(context.Input(1)), context.OptionalInput(2) is { } aZero ? PerRow(aZero) : null);
        var right = Dequantize(context, context.Input(3), context.Input(4), context.OptionalInput(5));
        var product = context.Graph.Make(MatrixOps.MatMul, [left, right]);
        var yZeroPoint = context.OptionalInput(7);
        return [Quantize(context.Graph, product, context.Input(6), yZeroPoint, yZeroPoint?.Type ?? ElementType.U8, context)];
    }

    /// <summary>
    /// QLinearConv: x dequantized per tensor, w per tensor or per output channel, a floating-point
    /// convolution, the i32 bias dequantized with x_scale · w_scale, and the result quantized with
    /// y's scale and zero point.
    /// </summary>
    public static IReadOnlyList<Output> QLinearConv(OnnxNodeContext context)
    {
        var b = context.Graph;
        var w = context.Input(3);
        Output PerOutputChannel(Output parameter) =>
            parameter.Shape is { IsRankStatic: true, Rank: 1 } && w.Shape.IsRankStatic
                ? b.Unsqueeze(parameter, Enumerable.Range(1, w.Shape.Rank - 1).Select(a => (long)a).ToArray())
                : parameter;

        var x = Dequantize(context, context.Input(0), context.Input(1), context.OptionalInput(2));
        var filters = Dequantize(context, w, PerOutputChannel(context.Input(4)), context.OptionalInput(5) is { } wZero ? PerOutputChannel(wZero) : null);
        var y = ConvolutionTranslators.Forward(context, x, filters);
        if (context.OptionalInput(8) is { } bias)
        {
            var biasScale = b.Multiply(b.Convert(context.Input(1), y.Type), b.Convert(context.Input(4), y.Type));
            var dequantized = b.Multiply(b.Convert(bias, y.Type), biasScale);
            y = b.Add(y, ConvolutionTranslators.PerChannel(b, dequantized, y.Shape.Rank));
        }

        var yZeroPoint = context.OptionalInput(7);
        return [Quantize(b, y, context.Input(6), yZeroPoint, yZeroPoint?.Type ?? ElementType.U8, context)];
    }

    private static Output QuantizeLinear(OnnxNodeContext context, bool axisAttribute)
    {
        var x = context.Input(0);
        var zeroPoint = context.OptionalInput(2);
        var target = zeroPoint?.Type
            ?? (context.HasAttribute("output_dtype") && context.GetInt("output_dtype") != 0
                ? OnnxTensors.ToElementType((int)context.GetInt("output_dtype"))
                : ElementType.U8);
        var layout = QuantizationLayout.Read(context, x, axisAttribute);
        return Quantize(context.Graph, x, layout.Align(context.Input(1)), zeroPoint is null ? null : layout.Align(zeroPoint.Value), target, context);
    }

    private static Output DequantizeLinear(OnnxNodeContext context, bool axisAttribute)
    {
        var x = context.Input(0);
        var zeroPoint = context.OptionalInput(2);
        var layout = QuantizationLayout.Read(context, x, axisAttribute);
        return Dequantize(context, x, layout.Align(context.Input(1)), zeroPoint is null ? null : layout.Align(zeroPoint.Value));
    }

    /// <summary>(x − zero_point) · scale in the scale's type, with scale and zero point already aligned with x.</summary>
    private static Output Dequantize(OnnxNodeContext context, Output x, Output scale, Output? zeroPoint) =>
        context.Graph.Multiply(Centered(context, x, zeroPoint, scale.Type), scale);

    /// <summary>
    /// x − zero_point in the floating-point <paramref name="type"/> (Convert → Subtract): the dequantization of an integer
    /// tensor before its scale, also what MatMulInteger and ConvInteger compute on. Zero points that are all zero are left out.
    /// </summary>
    internal static Output Centered(OnnxNodeContext context, Output x, Output? zeroPoint, ElementType type)
    {
        RequireIntegerType(context, x.Type);
        var converted = ToFloat(context.Graph, x, type);
        return zeroPoint is { } zero && !IsZero(zero)
            ? context.Graph.Subtract(converted, x.IsConstant ? ToFloat(context.Graph, zero, type) : context.Graph.Convert(zero, type))
            : converted;
    }

    /// <summary>
    /// An integer tensor converted to <paramref name="type"/>. A constant of a low-precision type stays integer in the IR:
    /// its Convert is kept from folding (folding it would store the weight in floating point and hide the quantization
    /// from OpenVINO). The Convert carries no rt_info: OpenVINO's own frontend marks none there, and the
    /// <c>decompression</c> marker of FP16 weights, put on an integer weight's Convert, makes a 2022.2 runtime refuse
    /// f32 inputs at inference ("Preprocessing is not applicable").
    /// </summary>
    private static Output ToFloat(GraphBuilder b, Output value, ElementType type) =>
        value.IsConstant && LowPrecisionWeightTypes.Contains(value.Type)
            ? b.MakeUnfolded(TypeOps.Convert, [value], ("destination_type", type))
            : b.Convert(value, type);

    /// <summary>
    /// DynamicQuantizeLinear: u8 quantization with the scale and zero point derived from the data's
    /// range (widened to include 0), composed as the ONNX function body does, the quantization exactly (its zero point
    /// is computed at run time, odd as often as not, where a FakeQuantize would round ties one level off).
    /// </summary>
    public static IReadOnlyList<Output> DynamicQuantizeLinear(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var flat = b.Reshape(x, -1);
        var zero = b.ScalarLike(x, 0);
        var qmax = b.ScalarLike(x, 255);
        var low = b.Make(ArithmeticOps.Minimum, [b.Make(ReductionOps.ReduceMin, [flat, b.Int64s(0)], ("keep_dims", false)), zero]);
        var high = b.Make(ArithmeticOps.Maximum, [b.Make(ReductionOps.ReduceMax, [flat, b.Int64s(0)], ("keep_dims", false)), zero]);
        var scale = b.Divide(b.Subtract(high, low), qmax);
        var initialZeroPoint = b.Subtract(zero, b.Divide(low, scale));
        var clipped = b.Make(ActivationOps.Clamp, [initialZeroPoint], ("min", 0.0), ("max", 255.0));
        var zeroPoint = b.Convert(b.Make(ArithmeticOps.Round, [clipped], ("mode", "half_to_even")), ElementType.U8);
        return [QuantizeExactly(b, x, scale, zeroPoint, ElementType.U8), scale, zeroPoint];
    }

    /// <summary>
    /// saturate(round(x / scale) + zero_point) in the target integer type. With constant scale and zero point (static
    /// quantization, what OpenVINO's low-precision pipeline takes): a FakeQuantize with one level per integer of the
    /// type, whose input range is scale · (lowest − zero_point) … scale · (highest − zero_point) and output range lowest …
    /// highest, then a Convert to the type; it computes in x's type (f32 for integer x, and for f16/bf16 x when the levels
    /// are more than those types hold exactly). With a scale or zero point computed at run time, the exact ONNX formula.
    /// </summary>
    private static Output Quantize(GraphBuilder b, Output x, Output scale, Output? zeroPoint, ElementType target, OnnxNodeContext context)
    {
        RequireQuantizedType(context, target);
        if (!scale.IsConstant || zeroPoint is { IsConstant: false })
        {
            return QuantizeExactly(b, x, scale, zeroPoint, target);
        }

        var (lowest, highest) = TypeBounds(target);
        var type = x.Type is ElementType.F32 or ElementType.F64 || (x.Type == ElementType.F16 && highest - lowest < 2048) ? x.Type : ElementType.F32;
        var step = b.Convert(scale, type);
        Output? shift = zeroPoint is { } zero && !IsZero(zero) ? b.Convert(zero, type) : null;
        Output Bound(double value) => b.Multiply(step, shift is { } offset ? b.Subtract(b.Scalar(type, value), offset) : b.Scalar(type, value));
        var levels = b.Make(QuantizationOps.FakeQuantize, [b.Convert(x, type), Bound(lowest), Bound(highest), b.Scalar(type, lowest), b.Scalar(type, highest)],
            ("levels", (long)(highest - lowest + 1)));
        return b.Convert(levels, target);
    }

    /// <summary>
    /// saturate(round_half_to_even(x / scale) + zero_point) step by step: divided in x's precision like the reference,
    /// the zero point added and the result clamped in f32 (f64 for f64 x), where these integers are exact.
    /// </summary>
    private static Output QuantizeExactly(GraphBuilder b, Output x, Output scale, Output? zeroPoint, ElementType target)
    {
        var (lowest, highest) = TypeBounds(target);
        var type = x.Type.IsFloatingPoint() ? x.Type : ElementType.F32;
        var quotient = b.Divide(b.Convert(x, type), b.Convert(scale, type));
        var rounded = b.Convert(b.Make(ArithmeticOps.Round, [quotient], ("mode", "half_to_even")), type == ElementType.F64 ? type : ElementType.F32);
        if (zeroPoint is { } zero && !IsZero(zero))
        {
            rounded = b.Add(rounded, b.Convert(zero, rounded.Type));
        }

        return b.Convert(b.Make(ActivationOps.Clamp, [rounded], ("min", lowest), ("max", highest)), target);
    }

    private static void RequireIntegerType(OnnxNodeContext context, ElementType type)
    {
        if (!type.IsInteger())
        {
            throw context.Error($"quantized type {type.IrName()} is not supported (only integer types are)");
        }
    }

    private static void RequireQuantizedType(OnnxNodeContext context, ElementType type)
    {
        if (!LowPrecisionWeightTypes.Contains(type))
        {
            throw context.Error($"quantized type {type.IrName()} is not supported (only 4-, 8- and 16-bit integer types are)");
        }
    }

    private static bool IsZero(Output value) =>
        OnnxNodeContext.ConstantValue(value) is { } tensor && tensor.ToDoubleArray().All(v => v == 0);

    // The quantized types ONNX defines: 4, 8 and 16 bits.
    private static (double Lowest, double Highest) TypeBounds(ElementType type) => type switch
    {
        ElementType.U4 => (0, 15),
        ElementType.I4 => (-8, 7),
        ElementType.U8 => (byte.MinValue, byte.MaxValue),
        ElementType.I8 => (sbyte.MinValue, sbyte.MaxValue),
        ElementType.U16 => (ushort.MinValue, ushort.MaxValue),
        ElementType.I16 => (short.MinValue, short.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a quantized type"),
    };

    /// <summary>
    /// How scale and zero point line up with x: one value for all (per tensor), a 1-D vector along
    /// <c>axis</c> (per axis), or blocks of <c>block_size</c> along <c>axis</c> (opset 21).
    /// </summary>
    private sealed record QuantizationLayout(OnnxNodeContext Context, Output X, long Axis, long BlockSize)
    {
        /// <summary>The layout of a node whose axis is an attribute (opset 13 and later) or always 1.</summary>
        public static QuantizationLayout Read(OnnxNodeContext context, Output x, bool axisAttribute) =>
            new(context, x, axisAttribute ? context.GetInt("axis", 1) : 1, context.GetInt("block_size", 0));

        /// <summary>The scale or zero point broadcastable against x.</summary>
        public Output Align(Output parameter)
        {
            var b = Context.Graph;
            var shape = parameter.Shape;
            if (shape.IsRankStatic && (shape.Rank == 0 || (shape.IsStatic && shape.ElementCount().Length == 1 && BlockSize == 0)))
            {
                return parameter;
            }

            if (!X.Shape.IsRankStatic)
            {
                throw Context.Error("per-axis and blocked quantization need an input of known rank");
            }

            var rank = X.Shape.Rank;
            var axis = Axis < 0 ? Axis + rank : Axis;
            if (axis < 0 || axis >= rank)
            {
                throw Context.Error($"axis {Axis} is out of range for rank {rank}");
            }

            if (BlockSize > 0)
            {
                // Each parameter covers block_size consecutive elements: repeat it along the axis.
                var length = b.Gather(b.ShapeOf(X), b.Int64(axis), 0);
                var positions = b.Range(length);
                return b.Gather(parameter, b.Divide(positions, b.Int64(BlockSize)), axis);
            }

            if (!shape.IsRankStatic || shape.Rank != 1)
            {
                throw Context.Error($"per-axis scale and zero point must be 1-D, not {shape.ToDisplayString()}");
            }

            var others = Enumerable.Range(0, rank).Where(a => a != axis).Select(a => (long)a).ToArray();
            return others.Length == 0 ? parameter : b.Unsqueeze(parameter, others);
        }
    }
}
