using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear, per tensor, per axis (opset 13) and
/// per block (opset 21). Quantization is composed as round-half-to-even(x / scale) + zero point,
/// clamped to the target type: exactly the ONNX formula (OpenVINO's FakeQuantize would round ties
/// differently for odd zero points). QLinearMatMul and QLinearConv dequantize, compute in floating
/// point and quantize again. Dequantization is Convert → Subtract → Multiply, the pattern
/// OpenVINO recognizes as compressed weights, so on constant weights the Convert is kept unfolded.
/// </summary>
public static class QuantizationTranslators
{
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
    private static Output Dequantize(OnnxNodeContext context, Output x, Output scale, Output? zeroPoint)
    {
        var b = context.Graph;
        RequireIntegerType(context, x.Type);
        var type = scale.Type;

        // Folding the Convert of a constant would hide the compressed weight from OpenVINO.
        var converted = x.IsConstant
            ? b.MakeUnfolded(TypeOps.Convert, [x], ("destination_type", type))
            : b.Convert(x, type);
        if (zeroPoint is { } zero && !IsZero(zero))
        {
            converted = b.Subtract(converted, b.Convert(zero, type));
        }

        return b.Multiply(converted, scale);
    }

    /// <summary>
    /// DynamicQuantizeLinear: u8 quantization with the scale and zero point derived from the data's
    /// range (widened to include 0), composed as the ONNX function body does.
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
        return [Quantize(b, x, scale, zeroPoint, ElementType.U8, context), scale, zeroPoint];
    }

    /// <summary>saturate(round_half_to_even(x / scale) + zero_point) in the target integer type.</summary>
    private static Output Quantize(GraphBuilder b, Output x, Output scale, Output? zeroPoint, ElementType target, OnnxNodeContext context)
    {
        RequireIntegerType(context, target);
        var (lowest, highest) = TypeBounds(target);

        // Divide in the input's precision like the reference; add and clamp in f32, where these integers are exact.
        var type = x.Type.IsFloatingPoint() ? x.Type : ElementType.F32;
        var quotient = b.Divide(b.Convert(x, type), b.Convert(scale, type));
        var rounded = b.Convert(b.Make(ArithmeticOps.Round, [quotient], ("mode", "half_to_even")), type == ElementType.F64 ? type : ElementType.F32);
        if (zeroPoint is { } zero && !IsZero(zero))
        {
            rounded = b.Add(rounded, b.Convert(zero, rounded.Type));
        }

        var clamped = b.Make(ActivationOps.Clamp, [rounded], ("min", lowest), ("max", highest));
        return b.Convert(clamped, target);
    }

    private static void RequireIntegerType(OnnxNodeContext context, ElementType type)
    {
        if (!type.IsInteger())
        {
            throw context.Error($"quantized type {type.IrName()} is not supported (only integer types are)");
        }
    }

    private static bool IsZero(Output value) =>
        OnnxNodeContext.ConstantValue(value) is { } tensor && tensor.ToDoubleArray().All(v => v == 0);

    private static (double Lowest, double Highest) TypeBounds(ElementType type) => type switch
    {
        ElementType.U4 => (0, 15),
        ElementType.I4 => (-8, 7),
        ElementType.U8 => (byte.MinValue, byte.MaxValue),
        ElementType.I8 => (sbyte.MinValue, sbyte.MaxValue),
        ElementType.U16 => (ushort.MinValue, ushort.MaxValue),
        ElementType.I16 => (short.MinValue, short.MaxValue),
        ElementType.U32 => (uint.MinValue, uint.MaxValue),
        ElementType.I32 => (int.MinValue, int.MaxValue),
        _ => (long.MinValue, long.MaxValue),
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
