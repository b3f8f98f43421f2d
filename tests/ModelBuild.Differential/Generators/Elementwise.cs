using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Differential.Generators.RandomValues;

namespace ModelBuild.Differential.Generators;

/// <summary>Unary, binary (numpy broadcasting) and variadic element-wise ops, their activations and logic.</summary>
public static class Elementwise
{
    private static readonly ElementType[] Floats = [ElementType.F32, ElementType.F64];
    private static readonly ElementType[] Float32 = [ElementType.F32];
    private static readonly ElementType[] SignedNumbers = [ElementType.F32, ElementType.F64, ElementType.I32, ElementType.I64];
    private static readonly ElementType[] Integers = [ElementType.I8, ElementType.I32, ElementType.I64, ElementType.U8, ElementType.U32];

    public static IEnumerable<OpSpec> Specs()
    {
        // Activations and math on any value.
        yield return Unary("Abs", [.. SignedNumbers, ElementType.I8], Any);
        yield return Unary("Neg", [.. SignedNumbers, ElementType.I8], Any);
        yield return Unary("Sign", SignedNumbers, Any);
        yield return Unary("Exp", Floats, (r, t, s) => r.Floats(t, s, -4, 4));
        yield return Unary("Sin", Floats, Any);
        yield return Unary("Cos", Floats, Any);
        yield return Unary("Atan", Float32, Any);
        yield return Unary("Sinh", Float32, Any);
        yield return Unary("Cosh", Float32, Any);
        yield return Unary("Asinh", Float32, Any);
        yield return Unary("Tanh", Floats, Any);
        yield return Unary("Sigmoid", Floats, Any);
        yield return Unary("Relu", Floats, Any);
        yield return Unary("Erf", Float32, Any);
        yield return Unary("Softplus", Float32, Any);
        yield return Unary("Softsign", Float32, Any);
        yield return Unary("HardSwish", Float32, Any);
        yield return Unary("Mish", Float32, Any, opset: 18);
        yield return Unary("Floor", Floats, AnyOrHalves);
        yield return Unary("Ceil", Floats, AnyOrHalves);
        yield return Unary("Round", Floats, AnyOrHalves);
        yield return Unary("Identity", [.. SignedNumbers, ElementType.Boolean, ElementType.U8], (r, t, s) => r.Values(t, s));
        yield return Unary("Elu", Float32, Any, r => [OnnxAttributes.Float("alpha", r.Pick(1f, 0.5f, 2f))]);
        yield return Unary("Selu", Float32, Any, r => r.Chance(0.5) ? [] : [OnnxAttributes.Float("alpha", 1.5f), OnnxAttributes.Float("gamma", 0.8f)]);
        yield return Unary("LeakyRelu", Float32, Any, r => r.Chance(0.3) ? [] : [OnnxAttributes.Float("alpha", r.Pick(0.1f, 0.5f, 1.5f))]);
        yield return Unary("ThresholdedRelu", Float32, Any, r => [OnnxAttributes.Float("alpha", r.Pick(1f, 0.3f, -0.5f))]);
        yield return Unary("HardSigmoid", Float32, Any, r => r.Chance(0.3) ? [] : [OnnxAttributes.Float("alpha", 0.5f), OnnxAttributes.Float("beta", 0.3f)]);
        yield return Unary("Celu", Float32, Any, r => [OnnxAttributes.Float("alpha", r.Pick(1f, 0.5f, 2f))]);
        yield return Unary("Gelu", Float32, Any, r => r.Chance(0.5) ? [] : [OnnxAttributes.String("approximate", r.Pick("none", "tanh"))], opset: 20);
        yield return Unary("Shrink", Float32, Any, r => [OnnxAttributes.Float("lambd", r.Pick(0.5f, 1f)), OnnxAttributes.Float("bias", r.Pick(0f, 0.25f))]);

        // Math on a domain.
        yield return Unary("Tan", Float32, (r, t, s) => r.Floats(t, s, -1.2, 1.2));
        yield return Unary("Asin", Float32, (r, t, s) => r.Floats(t, s, -0.99, 0.99));
        yield return Unary("Acos", Float32, (r, t, s) => r.Floats(t, s, -0.99, 0.99));
        yield return Unary("Atanh", Float32, (r, t, s) => r.Floats(t, s, -0.95, 0.95));
        yield return Unary("Acosh", Float32, (r, t, s) => r.Floats(t, s, 1, 4));
        // Some negatives: NaN where both must agree on NaN.
        yield return Unary("Log", Floats, (r, t, s) => r.Floats(t, s, r.Pick(0.01, -0.5), 4));
        yield return Unary("Sqrt", Floats, (r, t, s) => r.Floats(t, s, r.Pick(0, -0.5), 4));
        yield return Unary("Reciprocal", Floats, (r, t, s) => r.NonZeroFloats(t, s));

        // Logic and bits.
        yield return Unary("Not", [ElementType.Boolean], (r, _, s) => r.Booleans(s));
        yield return Unary("BitwiseNot", Integers, (r, t, s) => r.Values(t, s), opset: 18);
        yield return Unary("IsNaN", Float32, Specials);
        yield return Unary("IsInf", Float32, Specials, r => [OnnxAttributes.Int("detect_positive", r.Next(2)), OnnxAttributes.Int("detect_negative", r.Next(2))]);

        yield return new OpSpec("Clip", Clip, Opset: 13);

        yield return Binary("Add", SignedNumbers, Any);
        yield return Binary("Sub", SignedNumbers, Any);
        yield return Binary("Mul", SignedNumbers, Any);
        yield return new OpSpec("Div", Div);
        yield return new OpSpec("Pow", Pow, Opset: 15);
        yield return new OpSpec("Mod", Mod);
        yield return Binary("Equal", [ElementType.F32, ElementType.I32, ElementType.I64, ElementType.Boolean], Small, ElementType.Boolean);
        yield return Binary("Less", SignedNumbers, Small, ElementType.Boolean);
        yield return Binary("Greater", SignedNumbers, Small, ElementType.Boolean);
        yield return Binary("LessOrEqual", SignedNumbers, Small, ElementType.Boolean);
        yield return Binary("GreaterOrEqual", SignedNumbers, Small, ElementType.Boolean);
        yield return Binary("And", [ElementType.Boolean], Any, ElementType.Boolean);
        yield return Binary("Or", [ElementType.Boolean], Any, ElementType.Boolean);
        yield return Binary("Xor", [ElementType.Boolean], Any, ElementType.Boolean);
        yield return Binary("BitwiseAnd", Integers, Any, opset: 18);
        yield return Binary("BitwiseOr", Integers, Any, opset: 18);
        yield return Binary("BitwiseXor", Integers, Any, opset: 18);
        yield return new OpSpec("BitShift", BitShift);
        yield return new OpSpec("PRelu", PRelu, Opset: 16);
        yield return new OpSpec("Where", Where, Opset: 16);
        yield return Variadic("Max", SignedNumbers);
        yield return Variadic("Min", SignedNumbers);
        yield return Variadic("Sum", Floats);
        yield return Variadic("Mean", Float32);
    }

    private static Tensor Any(Random random, ElementType type, long[] shape) => random.Values(type, shape);

    // Few distinct values, so comparisons meet equal operands.
    private static Tensor Small(Random random, ElementType type, long[] shape) =>
        type.IsFloatingPoint() ? random.Halves(type, shape) : type == ElementType.Boolean ? random.Booleans(shape) : random.Integers(type, shape, -1, 1);

    private static Tensor AnyOrHalves(Random random, ElementType type, long[] shape) => random.Chance(0.5) ? random.Halves(type, shape) : random.Values(type, shape);

    private static Tensor Specials(Random random, ElementType type, long[] shape)
    {
        var values = random.Floats(ElementType.F64, shape).ToDoubleArray();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, _ => values[i] };
        }

        return Tensor.FromDoubles(type, values, shape);
    }

    private static OpSpec Unary(string op, ElementType[] types, Func<Random, ElementType, long[], Tensor> values, Func<Random, AttributeProto[]>? attributes = null, int opset = 17) =>
        new(op, b =>
        {
            var type = b.Random.Pick(types);
            var x = b.Input(values(b.Random, type, b.Random.AnyShape(allowEmpty: true)));
            var outputType = op is "IsNaN" or "IsInf" ? ElementType.Boolean : type;
            b.Output(Chain(b, b.Node1(op, [x], outputType, attributes?.Invoke(b.Random) ?? [])));
        }, opset);

    private static OpSpec Binary(string op, ElementType[] types, Func<Random, ElementType, long[], Tensor> values, ElementType? outputType = null, int opset = 17) =>
        new(op, b =>
        {
            var type = b.Random.Pick(types);
            var (left, right) = BroadcastPair(b.Random);
            var a = b.Input(values(b.Random, type, left));
            var c = b.Input(values(b.Random, type, right));
            b.Output(Chain(b, b.Node1(op, [a, c], outputType ?? type)));
        }, opset);

    private static OpSpec Variadic(string op, ElementType[] types) =>
        new(op, b =>
        {
            var type = b.Random.Pick(types);
            var shape = b.Random.AnyShape(maxRank: 4, allowEmpty: true);
            var inputs = Enumerable.Range(0, b.Random.Next(1, 4))
                .Select(_ => b.Input(b.Random.Chance(0.3) ? b.Random.Halves(type, b.Random.BroadcastPartner(shape)) : b.Random.Values(type, b.Random.BroadcastPartner(shape))))
                .Prepend(b.Input(b.Random.Values(type, shape))).ToArray();
            b.Output(Chain(b, b.Node1(op, inputs, type)));
        }, Opset: 13);

    /// <summary>Two shapes that broadcast: either may be the larger.</summary>
    public static (long[] Left, long[] Right) BroadcastPair(Random random)
    {
        var shape = random.AnyShape(maxRank: 5, allowEmpty: true);
        var partner = random.BroadcastPartner(shape);
        return random.Chance(0.5) ? (shape, partner) : (partner, shape);
    }

    /// <summary>A short chain: sometimes one more element-wise op on a float result, so ops meet each other's outputs.</summary>
    public static string Chain(CaseBuilder builder, string value)
    {
        var type = builder.TypeOf(value);
        if (!type.IsFloatingPoint() || !builder.Random.Chance(0.2))
        {
            return value;
        }

        var next = builder.Random.Pick("Neg", "Abs", "Relu", "Sigmoid");
        return builder.Node1(next, [value], type);
    }

    private static void Clip(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.I32, ElementType.I64);
        var x = b.Input(b.Random.Values(type, b.Random.AnyShape(allowEmpty: true)));
        var low = b.Random.Chance(0.7) ? b.Constant(Tensor.Scalar(type, b.Random.Next(-10, 0) / (type.IsFloatingPoint() ? 5.0 : 1))) : "";
        var high = b.Random.Chance(0.7) ? b.Constant(Tensor.Scalar(type, b.Random.Next(0, 10) / (type.IsFloatingPoint() ? 5.0 : 1))) : "";
        var inputs = high.Length > 0 ? new[] { x, low, high } : low.Length > 0 ? [x, low] : [x];
        b.Output(b.Node1("Clip", inputs, type));
    }

    private static void Div(CaseBuilder b)
    {
        var type = b.Random.Pick(SignedNumbers);
        var (left, right) = BroadcastPair(b.Random);
        var a = b.Input(b.Random.Values(type, left));
        // Integer division truncates toward zero; a zero divisor is undefined, so none.
        var c = b.Input(type.IsFloatingPoint() ? b.Random.NonZeroFloats(type, right) : NonZeroIntegers(b.Random, type, right));
        b.Output(b.Node1("Div", [a, c], type));
    }

    private static void Mod(CaseBuilder b)
    {
        var integer = b.Random.Chance(0.6);
        var type = integer ? b.Random.Pick(ElementType.I32, ElementType.I64) : b.Random.Pick(Floats);
        var (left, right) = BroadcastPair(b.Random);
        var a = b.Input(b.Random.Values(type, left));
        var c = b.Input(integer ? NonZeroIntegers(b.Random, type, right) : b.Random.NonZeroFloats(type, right));
        // fmod=0 (Python's sign of the divisor) is for integers only; fmod=1 (C's fmod) for both.
        b.Output(b.Node1("Mod", [a, c], type, OnnxAttributes.Int("fmod", integer && b.Random.Chance(0.5) ? 0 : 1)));
    }

    private static Tensor NonZeroIntegers(Random random, ElementType type, long[] shape) =>
        Tensor.FromInt64s(type, Array.ConvertAll(random.Integers(ElementType.I64, shape, 1, 7).ToInt64Array(), v => random.Chance(0.5) ? -v : v), shape);

    private static void Pow(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.F64);
        var (left, right) = BroadcastPair(b.Random);
        var baseValue = b.Input(b.Random.Floats(type, left, 0.1, 3));
        var exponentType = b.Random.Pick(type, ElementType.I64);
        var exponent = b.Input(exponentType.IsFloatingPoint() ? b.Random.Floats(exponentType, right, -2, 3) : b.Random.Integers(exponentType, right, -2, 3));
        b.Output(b.Node1("Pow", [baseValue, exponent], type));
    }

    private static void BitShift(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.U8, ElementType.U32, ElementType.U64);
        var (left, right) = BroadcastPair(b.Random);
        var x = b.Input(b.Random.Integers(type, left, 0, 255));
        var shift = b.Input(b.Random.Integers(type, right, 0, 7));
        b.Output(b.Node1("BitShift", [x, shift], type, OnnxAttributes.String("direction", b.Random.Pick("LEFT", "RIGHT"))));
    }

    private static void PRelu(CaseBuilder b)
    {
        // The slope broadcasts to the input (unidirectionally).
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 5, allowEmpty: true);
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        var rank = b.Random.Next(0, shape.Length + 1);
        var slope = b.Input(b.Random.Floats(ElementType.F32, shape[(shape.Length - rank)..].Select(d => b.Random.Chance(0.4) ? 1 : d).ToArray(), 0, 1));
        b.Output(b.Node1("PRelu", [x, slope], ElementType.F32));
    }

    private static void Where(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.I64, ElementType.I32);
        var shape = b.Random.AnyShape(maxRank: 4, allowEmpty: true);
        var condition = b.Input(b.Random.Booleans(b.Random.BroadcastPartner(shape)));
        var x = b.Input(b.Random.Values(type, b.Random.BroadcastPartner(shape)));
        var y = b.Input(b.Random.Values(type, shape));
        b.Output(b.Node1("Where", b.Random.Chance(0.5) ? [condition, x, y] : [condition, y, x], type));
    }
}
