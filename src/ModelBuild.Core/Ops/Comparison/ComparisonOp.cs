using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

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
