using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Divide, with <c>m_pythondiv</c>: floor division for integers when true, truncation when false.</summary>
public sealed class DivideOp : BinaryElementwiseOp
{
    private static readonly AttributeSpec[] Specs =
        [AttributeSpec.String("auto_broadcast", "numpy"), AttributeSpec.Bool("m_pythondiv", true)];

    public DivideOp()
        : base("Divide", version: 1)
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

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Divide = new DivideOp();
}
