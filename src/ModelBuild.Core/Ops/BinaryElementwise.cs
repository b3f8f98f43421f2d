using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Element-wise binary ops (arithmetic, comparison, logical) with OpenVINO's <c>auto_broadcast</c>:
/// <c>numpy</c> (the default) or <c>none</c> (shapes must match).
/// </summary>
public abstract class BinaryElementwiseOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("auto_broadcast", "numpy")];

    protected BinaryElementwiseOp(string type, int version)
        : base(type, version, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var left = context.InputType(0);
        var right = context.InputType(1);
        context.Require(left == right || left == ElementType.Dynamic || right == ElementType.Dynamic,
            $"input element types differ ({left.IrName()} and {right.IrName()})");
        CheckInputType(context, left == ElementType.Dynamic ? right : left);
        var shape = BroadcastShape(context);
        context.SetOutput(0, OutputType(left == ElementType.Dynamic ? right : left), shape);
        InferSymbolicValue(context, shape);
    }

    /// <summary>The output shape under the node's <c>auto_broadcast</c> rule.</summary>
    protected static PartialShape BroadcastShape(InferenceContext context)
    {
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        var mode = context.Attributes.GetString("auto_broadcast");
        if (mode == "none")
        {
            return a.Merge(b) ?? throw context.Error($"shapes {a.ToDisplayString()} and {b.ToDisplayString()} differ and broadcasting is off");
        }

        context.Require(mode == "numpy", $"auto_broadcast '{mode}' is not supported");
        return Broadcasting.Numpy(a, b) ?? throw context.Error($"shapes {a.ToDisplayString()} and {b.ToDisplayString()} do not broadcast");
    }

    protected virtual ElementType OutputType(ElementType inputType) => inputType;

    /// <summary>
    /// Sets the output's symbolic value from the inputs' (0-D/1-D integer outputs of shape computations),
    /// combining element by element with <paramref name="combine"/>; a one-value input stands for all.
    /// Nothing is recorded when a value is unknown or <paramref name="combine"/> cannot tell.
    /// </summary>
    protected static void CombineSymbolicValues(InferenceContext context, PartialShape outputShape, Func<Dimension, Dimension, Dimension?> combine)
    {
        var a = context.InputAsShape(0);
        var b = context.InputAsShape(1);
        if (a is null || b is null || !outputShape.IsStatic || outputShape.Rank > 1)
        {
            return;
        }

        var count = (int)outputShape.ElementCount().Length;
        if (!BroadcastsTo(a, count) || !BroadcastsTo(b, count))
        {
            return;
        }

        var dims = new Dimension[count];
        for (var i = 0; i < count; i++)
        {
            var result = combine(ValueAt(a, i), ValueAt(b, i));
            if (result is null)
            {
                return;
            }

            dims[i] = result.Value;
        }

        context.SetSymbolicValue(0, PartialShape.Of(dims));
    }

    /// <summary>Whether a list of known values has one value (broadcast to all) or exactly <paramref name="count"/>.</summary>
    private static bool BroadcastsTo(PartialShape values, int count) => values.Rank == 1 || values.Rank == count;

    /// <summary>Value <paramref name="index"/> of a known-value list, a single value standing for all.</summary>
    private static Dimension ValueAt(PartialShape values, int index) => values[values.Rank == 1 ? 0 : index];

    protected virtual void CheckInputType(InferenceContext context, ElementType type)
    {
    }

    protected virtual void InferSymbolicValue(InferenceContext context, PartialShape outputShape)
    {
    }
}

/// <summary>Arithmetic on numbers: Add, Subtract, Multiply, Divide, Power, Maximum, Minimum, ...</summary>
public sealed class ArithmeticOp<TKernel> : BinaryElementwiseOp
    where TKernel : struct, IBinaryKernel
{
    private readonly Func<Dimension, Dimension, Dimension?>? _symbolic;

    public ArithmeticOp(string type, int version, Func<Dimension, Dimension, Dimension?>? symbolic = null)
        : base(type, version) => _symbolic = symbolic;

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [Elementwise.Binary(context.Input(0), context.Input(1), default(TKernel))];

    protected override void CheckInputType(InferenceContext context, ElementType type) =>
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"expects numbers, not {type.IrName()}");

    // Shape arithmetic (e.g. H*W computed from ShapeOf) keeps what is known about dims.
    protected override void InferSymbolicValue(InferenceContext context, PartialShape outputShape)
    {
        if (_symbolic is not null)
        {
            CombineSymbolicValues(context, outputShape, _symbolic);
        }
    }
}

/// <summary>Divide, with <c>m_pythondiv</c>: floor division for integers when true, truncation when false.</summary>
public sealed class DivideOp : BinaryElementwiseOp
{
    private static readonly AttributeSpec[] Specs =
        [AttributeSpec.String("auto_broadcast", "numpy"), AttributeSpec.Bool("m_pythondiv", true)];

    public DivideOp()
        : base("Divide", 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Attributes.GetBool("m_pythondiv")
            ? Elementwise.Binary(context.Input(0), context.Input(1), default(FloorDivideKernel))
            : Elementwise.Binary(context.Input(0), context.Input(1), default(TruncateDivideKernel))];

    protected override void CheckInputType(InferenceContext context, ElementType type) =>
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"expects numbers, not {type.IrName()}");

    // Integer division of known dims (e.g. C / groups) keeps what is known about them.
    protected override void InferSymbolicValue(InferenceContext context, PartialShape outputShape)
    {
        if (context.InputType(0).IsInteger())
        {
            CombineSymbolicValues(context, outputShape, (a, b) => b.IsStatic && b.Length != 0 ? a.FloorDivide(b.Length) : null);
        }
    }
}

/// <summary>Comparisons: boolean output, numeric (or boolean for Equal/NotEqual) inputs.</summary>
public sealed class ComparisonOp<TKernel> : BinaryElementwiseOp
    where TKernel : struct, IComparisonKernel
{
    public ComparisonOp(string type, int version)
        : base(type, version)
    {
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [Elementwise.Compare(context.Input(0), context.Input(1), default(TKernel))];

    protected override ElementType OutputType(ElementType inputType) => ElementType.Boolean;
}

/// <summary>LogicalAnd, LogicalOr, LogicalXor on booleans.</summary>
public sealed class LogicalBinaryOp : BinaryElementwiseOp
{
    private readonly Func<bool, bool, bool> _function;

    public LogicalBinaryOp(string type, int version, Func<bool, bool, bool> function)
        : base(type, version) => _function = function;

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [Elementwise.Logical(context.Input(0), context.Input(1), _function)];

    protected override void CheckInputType(InferenceContext context, ElementType type) =>
        context.Require(type is ElementType.Boolean or ElementType.Dynamic, $"expects booleans, not {type.IrName()}");
}

public readonly struct AddKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a + b;
}

public readonly struct SubtractKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a - b;
}

public readonly struct MultiplyKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a * b;
}

/// <summary>Integer division rounding toward minus infinity (Python); true division for floats.</summary>
public readonly struct FloorDivideKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        if (Elementwise.IsFloat<T>())
        {
            return a / b;
        }

        if (b == T.Zero)
        {
            return T.Zero;
        }

        var quotient = a / b;
        return a % b != T.Zero && (a < T.Zero) != (b < T.Zero) ? quotient - T.One : quotient;
    }
}

/// <summary>Integer division rounding toward zero (C, ONNX Runtime); true division for floats.</summary>
public readonly struct TruncateDivideKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => !Elementwise.IsFloat<T>() && b == T.Zero ? T.Zero : a / b;
}

public readonly struct MaximumKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Max(a, b);
}

public readonly struct MinimumKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Min(a, b);
}

public readonly struct SquaredDifferenceKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => (a - b) * (a - b);
}

/// <summary>Remainder with the sign of the divisor (Python's %).</summary>
public readonly struct FloorModKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        if (!Elementwise.IsFloat<T>() && b == T.Zero)
        {
            return T.Zero;
        }

        var remainder = a % b;
        return remainder != T.Zero && (remainder < T.Zero) != (b < T.Zero) ? remainder + b : remainder;
    }
}

/// <summary>Remainder with the sign of the dividend (C's fmod).</summary>
public readonly struct TruncateModKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => !Elementwise.IsFloat<T>() && b == T.Zero ? T.Zero : a % b;
}

public readonly struct PowerKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        var result = Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b));
        return Elementwise.IsFloat<T>() ? T.CreateTruncating(result) : T.CreateSaturating(Math.Truncate(result));
    }
}

public readonly struct EqualKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a == b;
}

public readonly struct NotEqualKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a != b;
}

public readonly struct LessKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a < b;
}

public readonly struct LessEqualKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a <= b;
}

public readonly struct GreaterKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a > b;
}

public readonly struct GreaterEqualKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a >= b;
}

/// <summary>The binary element-wise ops of the OpenVINO opsets.</summary>
public static class BinaryOps
{
    public static readonly OpDefinition Add = new ArithmeticOp<AddKernel>("Add", 1, (a, b) => a + b);
    public static readonly OpDefinition Subtract = new ArithmeticOp<SubtractKernel>("Subtract", 1, (a, b) => a.IsStatic && b.IsStatic && a.Length >= b.Length ? a - b : null);
    public static readonly OpDefinition Multiply = new ArithmeticOp<MultiplyKernel>("Multiply", 1, (a, b) => a * b);
    public static readonly OpDefinition Divide = new DivideOp();
    public static readonly OpDefinition Power = new ArithmeticOp<PowerKernel>("Power", 1);
    public static readonly OpDefinition Maximum = new ArithmeticOp<MaximumKernel>("Maximum", 1, (a, b) => new Dimension(Math.Max(a.Min, b.Min), Math.Max(a.Max, b.Max)));
    public static readonly OpDefinition Minimum = new ArithmeticOp<MinimumKernel>("Minimum", 1, (a, b) => new Dimension(Math.Min(a.Min, b.Min), Math.Min(a.Max, b.Max)));
    public static readonly OpDefinition SquaredDifference = new ArithmeticOp<SquaredDifferenceKernel>("SquaredDifference", 1);
    public static readonly OpDefinition FloorMod = new ArithmeticOp<FloorModKernel>("FloorMod", 1);
    public static readonly OpDefinition Mod = new ArithmeticOp<TruncateModKernel>("Mod", 1);

    public static readonly OpDefinition Equal = new ComparisonOp<EqualKernel>("Equal", 1);
    public static readonly OpDefinition NotEqual = new ComparisonOp<NotEqualKernel>("NotEqual", 1);
    public static readonly OpDefinition Less = new ComparisonOp<LessKernel>("Less", 1);
    public static readonly OpDefinition LessEqual = new ComparisonOp<LessEqualKernel>("LessEqual", 1);
    public static readonly OpDefinition Greater = new ComparisonOp<GreaterKernel>("Greater", 1);
    public static readonly OpDefinition GreaterEqual = new ComparisonOp<GreaterEqualKernel>("GreaterEqual", 1);

    public static readonly OpDefinition LogicalAnd = new LogicalBinaryOp("LogicalAnd", 1, (a, b) => a && b);
    public static readonly OpDefinition LogicalOr = new LogicalBinaryOp("LogicalOr", 1, (a, b) => a || b);
    public static readonly OpDefinition LogicalXor = new LogicalBinaryOp("LogicalXor", 2, (a, b) => a ^ b);
}
