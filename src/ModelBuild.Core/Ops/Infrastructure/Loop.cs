using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Loop-5: runs its body while the trip count (input 0, -1 = no limit) is not reached and the
/// condition (input 1 at first, then the body's execution-condition Result) holds. Inputs from 2
/// on feed body Parameters as invariant, sliced or loop-carried (merged) values; outputs are the
/// last iteration's value of a body Result or the concatenation of its values over all iterations.
/// </summary>
public sealed class LoopOp : OpDefinition
{
    public LoopOp()
        : base("Loop", version: 5, minInputs: 2, maxInputs: int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        var body = BodyIteration.SingleBody(context);
        context.Require(context.InputType(0).IsInteger() || context.InputType(0) == ElementType.Dynamic, "the trip count must be an integer");
        context.Require(context.InputType(1) is ElementType.Boolean or ElementType.Dynamic, "the execution condition must be boolean");
        BodyIteration.RequireScalarLike(context, context.InputShape(0), "the trip count");
        BodyIteration.RequireScalarLike(context, context.InputShape(1), "the execution condition");
        var condition = body.ExecutionConditionResult ?? throw context.Error("the body has no execution-condition Result");
        context.Require(condition < body.Graph.Results.Count, $"the execution condition names body Result {condition}, which does not exist");
        if (body.CurrentIterationParameter is { } iteration)
        {
            context.Require(iteration < body.Graph.Parameters.Count, $"the current iteration names body Parameter {iteration}, which does not exist");
            var port = body.Graph.Parameters[iteration].Outputs[0];
            context.Require(port.Type.IsInteger() || port.Type == ElementType.Dynamic, "the current-iteration Parameter must be an integer");
        }

        BodyIteration.InferOutputs(context, body, Iterations(context, body));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var tripCount = context.Input(0).GetInt64(0);
        var condition = context.Input(1).GetDouble(0) != 0;
        return BodyIteration.Run(context, context.Bodies[0], tripCount, condition);
    }

    // Known only for a for-loop: constant trip count and conditions that are constantly true (or an initial false).
    private static Dimension Iterations(InferenceContext context, Body body)
    {
        var initial = context.InputValue(1);
        if (initial is not null && initial.GetDouble(0) == 0)
        {
            return 0;
        }

        var trips = context.InputValue(0)?.GetInt64(0);
        var bodyCondition = body.Graph.Results[body.ExecutionConditionResult!.Value].Input(0).Node.Constant?.TryGetValue();
        var alwaysTrue = initial is not null && bodyCondition is not null && bodyCondition.GetDouble(0) != 0;
        var sliced = BodyIteration.SlicedIterations(context, body);
        if (trips is null || trips < 0 || !alwaysTrue)
        {
            return sliced is { IsStatic: true } ? new Dimension(0, sliced.Value.Length) : Dimension.Dynamic;
        }

        return sliced is { IsStatic: true } ? Math.Min(trips.Value, sliced.Value.Length) : trips.Value;
    }
}

public static partial class InfrastructureOps
{
    public static readonly OpDefinition Loop = new LoopOp();
}
