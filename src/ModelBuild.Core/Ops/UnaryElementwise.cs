using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Which element types a unary op accepts.</summary>
public enum UnaryInputs
{
    /// <summary>Any numeric type.</summary>
    Numeric,

    /// <summary>Floating-point types only.</summary>
    Float,

    /// <summary>Booleans only.</summary>
    Boolean,
}

/// <summary>
/// An element-wise op with one input and one output of the same shape: math functions,
/// simple activations, IsNaN and friends. The kernel is chosen by the evaluate function.
/// </summary>
public sealed class UnaryOp : OpDefinition
{
    private readonly Func<EvaluationContext, Tensor> _evaluate;
    private readonly UnaryInputs _inputs;
    private readonly AttributeSpec[] _specs;
    private readonly ElementType? _outputType;

    public UnaryOp(string type, int version, UnaryInputs inputs, Func<EvaluationContext, Tensor> evaluate, AttributeSpec[]? specs = null, ElementType? outputType = null)
        : base(type, version, 1, 1)
    {
        _evaluate = evaluate;
        _inputs = inputs;
        _specs = specs ?? [];
        _outputType = outputType;
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => _specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        var accepted = _inputs switch
        {
            UnaryInputs.Float => type.IsFloatingPoint(),
            UnaryInputs.Boolean => type == ElementType.Boolean,
            _ => type.IsNumeric(),
        };
        context.Require(accepted || type == ElementType.Dynamic, $"does not accept {type.IrName()} input");
        context.SetOutput(0, _outputType ?? type, context.InputShape(0));
    }

    public override Tensor[] Evaluate(EvaluationContext context) => [_evaluate(context)];

    /// <summary>A float-only op computed by a struct kernel.</summary>
    public static UnaryOp Float<TKernel>(string type, int version)
        where TKernel : struct, IFloatUnaryKernel =>
        new(type, version, UnaryInputs.Float, c => Elementwise.FloatUnary(c.Input(0), default(TKernel)));

    /// <summary>A numeric op computed by a struct kernel.</summary>
    public static UnaryOp Numeric<TKernel>(string type, int version)
        where TKernel : struct, IUnaryKernel =>
        new(type, version, UnaryInputs.Numeric, c => Elementwise.Unary(c.Input(0), default(TKernel)));
}

public readonly struct AbsKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => x < T.Zero ? -x : x;
}

public readonly struct NegativeKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => -x;
}

public readonly struct SignKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}

public readonly struct ReluKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => x > T.Zero || T.IsNaN(x) ? x : T.Zero;
}

public readonly struct FloorKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> =>
        Elementwise.IsFloat<T>() ? T.CreateTruncating(Math.Floor(double.CreateTruncating(x))) : x;
}

public readonly struct CeilingKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> =>
        Elementwise.IsFloat<T>() ? T.CreateTruncating(Math.Ceiling(double.CreateTruncating(x))) : x;
}

public readonly struct ExpKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
}

public readonly struct LogKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
}

public readonly struct SqrtKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
}

public readonly struct SinKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
}

public readonly struct CosKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
}

public readonly struct TanKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Tan(x);
}

public readonly struct AsinKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
}

public readonly struct AcosKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
}

public readonly struct AtanKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
}

public readonly struct SinhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
}

public readonly struct CoshKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
}

public readonly struct TanhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
}

public readonly struct AsinhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Asinh(x);
}

public readonly struct AcoshKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Acosh(x);
}

public readonly struct AtanhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Atanh(x);
}

public readonly struct ErfKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(SpecialFunctions.Erf(double.CreateTruncating(x)));
}

public readonly struct SigmoidKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
}

/// <summary>log(1 + exp(x)), computed without overflow for large x.</summary>
public readonly struct SoftPlusKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x > T.CreateTruncating(20.0) ? x : T.Log(T.One + T.Exp(x));
}

public readonly struct SoftSignKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Abs(x));
}

public readonly struct MishKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * T.Tanh(default(SoftPlusKernel).Apply(x));
}

/// <summary>x · min(max(x + 3, 0), 6) / 6.</summary>
public readonly struct HSwishKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * default(HSigmoidKernel).Apply(x);
}

/// <summary>min(max(x + 3, 0), 6) / 6.</summary>
public readonly struct HSigmoidKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var three = T.CreateTruncating(3.0);
        var six = T.CreateTruncating(6.0);
        return T.Min(T.Max(x + three, T.Zero), six) / six;
    }
}

/// <summary>The unary element-wise ops of the OpenVINO opsets.</summary>
public static class UnaryOps
{
    public static readonly OpDefinition Abs = UnaryOp.Numeric<AbsKernel>("Abs", 1);
    public static readonly OpDefinition Negative = UnaryOp.Numeric<NegativeKernel>("Negative", 1);
    public static readonly OpDefinition Sign = UnaryOp.Numeric<SignKernel>("Sign", 1);
    public static readonly OpDefinition Floor = UnaryOp.Numeric<FloorKernel>("Floor", 1);
    public static readonly OpDefinition Ceiling = UnaryOp.Numeric<CeilingKernel>("Ceiling", 1);
    public static readonly OpDefinition Relu = UnaryOp.Numeric<ReluKernel>("ReLU", 1);

    public static readonly OpDefinition Exp = UnaryOp.Float<ExpKernel>("Exp", 1);
    public static readonly OpDefinition Log = UnaryOp.Float<LogKernel>("Log", 1);
    public static readonly OpDefinition Sqrt = UnaryOp.Float<SqrtKernel>("Sqrt", 1);
    public static readonly OpDefinition Sin = UnaryOp.Float<SinKernel>("Sin", 1);
    public static readonly OpDefinition Cos = UnaryOp.Float<CosKernel>("Cos", 1);
    public static readonly OpDefinition Tan = UnaryOp.Float<TanKernel>("Tan", 1);
    public static readonly OpDefinition Asin = UnaryOp.Float<AsinKernel>("Asin", 1);
    public static readonly OpDefinition Acos = UnaryOp.Float<AcosKernel>("Acos", 1);
    public static readonly OpDefinition Atan = UnaryOp.Float<AtanKernel>("Atan", 1);
    public static readonly OpDefinition Sinh = UnaryOp.Float<SinhKernel>("Sinh", 1);
    public static readonly OpDefinition Cosh = UnaryOp.Float<CoshKernel>("Cosh", 1);
    public static readonly OpDefinition Tanh = UnaryOp.Float<TanhKernel>("Tanh", 1);
    public static readonly OpDefinition Asinh = UnaryOp.Float<AsinhKernel>("Asinh", 4);
    public static readonly OpDefinition Acosh = UnaryOp.Float<AcoshKernel>("Acosh", 4);
    public static readonly OpDefinition Atanh = UnaryOp.Float<AtanhKernel>("Atanh", 4);
    public static readonly OpDefinition Erf = UnaryOp.Float<ErfKernel>("Erf", 1);
    public static readonly OpDefinition Sigmoid = UnaryOp.Float<SigmoidKernel>("Sigmoid", 1);
    public static readonly OpDefinition SoftPlus = UnaryOp.Float<SoftPlusKernel>("SoftPlus", 4);
    public static readonly OpDefinition SoftSign = UnaryOp.Float<SoftSignKernel>("SoftSign", 9);
    public static readonly OpDefinition Mish = UnaryOp.Float<MishKernel>("Mish", 4);
    public static readonly OpDefinition HSwish = UnaryOp.Float<HSwishKernel>("HSwish", 4);
    public static readonly OpDefinition HSigmoid = UnaryOp.Float<HSigmoidKernel>("HSigmoid", 5);

    public static readonly OpDefinition LogicalNot = new UnaryOp("LogicalNot", 1, UnaryInputs.Boolean,
        c => new Tensor(ElementType.Boolean, c.Input(0).Shape, Array.ConvertAll(c.Input(0).As<bool>(), b => !b)));

    /// <summary>Round-5: <c>half_to_even</c> or <c>half_away_from_zero</c>.</summary>
    public static readonly OpDefinition Round = new UnaryOp("Round", 5, UnaryInputs.Numeric, EvaluateRound,
        [AttributeSpec.String("mode", "half_to_even")]);

    public static readonly OpDefinition IsNaN = new UnaryOp("IsNaN", 10, UnaryInputs.Float,
        c => MapToBoolean(c.Input(0), double.IsNaN), outputType: ElementType.Boolean);

    public static readonly OpDefinition IsFinite = new UnaryOp("IsFinite", 10, UnaryInputs.Float,
        c => MapToBoolean(c.Input(0), double.IsFinite), outputType: ElementType.Boolean);

    public static readonly OpDefinition IsInf = new UnaryOp("IsInf", 10, UnaryInputs.Float, EvaluateIsInf,
        [AttributeSpec.Bool("detect_negative", true), AttributeSpec.Bool("detect_positive", true)], ElementType.Boolean);

    /// <summary>Elu-1: x for x &gt; 0, alpha·(exp(x) − 1) otherwise.</summary>
    public static readonly OpDefinition Elu = new UnaryOp("Elu", 1, UnaryInputs.Float,
        c => MapDoubles(c.Input(0), x => x > 0 ? x : c.Attributes.GetFloat("alpha") * (Math.Exp(x) - 1)),
        [AttributeSpec.Float("alpha")]);

    /// <summary>Clamp-1: min/max bounds; for integer inputs min rounds up and max rounds down.</summary>
    public static readonly OpDefinition Clamp = new UnaryOp("Clamp", 1, UnaryInputs.Numeric, EvaluateClamp,
        [AttributeSpec.Float("min"), AttributeSpec.Float("max")]);

    /// <summary>Gelu-7: <c>approximation_mode</c> ERF (exact) or TANH.</summary>
    public static readonly OpDefinition Gelu = new UnaryOp("Gelu", 7, UnaryInputs.Float, EvaluateGelu,
        [AttributeSpec.String("approximation_mode", "ERF")]);

    /// <summary>Applies <paramref name="function"/> in double precision and keeps the input type.</summary>
    public static Tensor MapDoubles(Tensor x, Func<double, double> function)
    {
        var values = x.ToDoubleArray();
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = function(values[i]);
        }

        return Tensor.FromDoubles(x.Type, result, x.Shape);
    }

    private static Tensor MapToBoolean(Tensor x, Func<double, bool> predicate)
    {
        var values = x.ToDoubleArray();
        return new Tensor(ElementType.Boolean, x.Shape, Array.ConvertAll(values, v => predicate(v)));
    }

    private static Tensor EvaluateIsInf(EvaluationContext context)
    {
        var negative = context.Attributes.GetBool("detect_negative");
        var positive = context.Attributes.GetBool("detect_positive");
        return MapToBoolean(context.Input(0), v => (negative && double.IsNegativeInfinity(v)) || (positive && double.IsPositiveInfinity(v)));
    }

    private static Tensor EvaluateRound(EvaluationContext context)
    {
        var x = context.Input(0);
        if (!x.Type.IsFloatingPoint())
        {
            return x;
        }

        var mode = context.Attributes.GetString("mode") == "half_away_from_zero" ? MidpointRounding.AwayFromZero : MidpointRounding.ToEven;
        return MapDoubles(x, v => Math.Round(v, mode));
    }

    private static Tensor EvaluateClamp(EvaluationContext context)
    {
        var x = context.Input(0);
        var min = context.Attributes.GetFloat("min");
        var max = context.Attributes.GetFloat("max");
        if (x.Type.IsInteger())
        {
            min = Math.Ceiling(min);
            max = Math.Floor(max);
        }

        return MapDoubles(x, v => double.IsNaN(v) ? v : Math.Min(Math.Max(v, min), max));
    }

    private static Tensor EvaluateGelu(EvaluationContext context)
    {
        var tanh = context.Attributes.GetString("approximation_mode").Equals("TANH", StringComparison.OrdinalIgnoreCase);
        var sqrtTwoOverPi = Math.Sqrt(2 / Math.PI);
        return MapDoubles(context.Input(0), x => tanh
            ? 0.5 * x * (1 + Math.Tanh(sqrtTwoOverPi * (x + 0.044715 * x * x * x)))
            : 0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2))));
    }
}
