using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

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
