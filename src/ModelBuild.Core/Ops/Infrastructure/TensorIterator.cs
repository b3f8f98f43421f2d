using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// TensorIterator-1: runs its body once per part of its sliced inputs (all sliced inputs give the
/// same number of parts); invariant, merged and concatenated ports as for Loop.
/// </summary>
public sealed class TensorIteratorOp : OpDefinition
{
    public TensorIteratorOp()
        : base("TensorIterator", version: 1, minInputs: 1, maxInputs: int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        var body = BodyIteration.SingleBody(context);
        context.Require(body.Inputs.OfType<SlicedBodyInput>().Any(), "needs a sliced input to know its number of iterations");
        context.Require(body.CurrentIterationParameter is null && body.ExecutionConditionResult is null,
            "has no current-iteration or execution-condition ports (those are Loop's)");
        BodyIteration.InferOutputs(context, body, BodyIteration.SlicedIterations(context, body) ?? Dimension.Dynamic);
    }

    public override Tensor[] Evaluate(EvaluationContext context) => BodyIteration.Run(context, context.Bodies[0], -1, true);
}

public static partial class InfrastructureOps
{
    public static readonly OpDefinition TensorIterator = new TensorIteratorOp();
}
