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
        : base(type, version, minInputs: 1, maxInputs: 1)
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

    /// <summary>Applies <paramref name="predicate"/> in double precision: a boolean tensor of the same shape.</summary>
    internal static Tensor MapToBoolean(Tensor x, Func<double, bool> predicate)
    {
        var values = x.ToDoubleArray();
        return new Tensor(ElementType.Boolean, x.Shape, Array.ConvertAll(values, v => predicate(v)));
    }
}
