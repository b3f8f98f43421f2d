using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

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
