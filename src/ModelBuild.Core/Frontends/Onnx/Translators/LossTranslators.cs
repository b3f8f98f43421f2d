using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, composed of basic ops. The entry of each
/// target's class is picked with a boolean one-hot mask (target == class position) and a sum over
/// the class axis, which also gives 0 for targets outside [0, C) such as a negative ignore_index.
/// </summary>
public static class LossTranslators
{
    /// <summary>NegativeLogLikelihoodLoss(input [N, C, d…], target [N, d…], weight [C]?).</summary>
    public static IReadOnlyList<Output> NegativeLogLikelihoodLoss(OnnxNodeContext context) =>
        [Loss(context, context.Input(0))];

    /// <summary>SoftmaxCrossEntropyLoss: the NLL loss of LogSoftmax over the class axis; output 1 is that log-probability.</summary>
    public static IReadOnlyList<Output> SoftmaxCrossEntropyLoss(OnnxNodeContext context)
    {
        var logProbability = context.Graph.Make(ActivationOps.LogSoftmax, [context.Input(0)], ("axis", 1L));
        var loss = Loss(context, logProbability);
        return context.OutputCount > 1 ? [loss, logProbability] : [loss];
    }

    /// <summary>
    /// loss[n, d…] = −input[n, target[n, d…], d…] · weight[target[n, d…]], 0 where target is
    /// ignore_index; reduced by <c>reduction</c>: none, sum, or mean (the sum divided by the sum of the weights used).
    /// </summary>
    private static Output Loss(OnnxNodeContext context, Output input)
    {
        var b = context.Graph;
        if (!input.Shape.IsRankStatic || input.Shape.Rank < 2)
        {
            throw context.Error($"the input must have a known rank of 2 or more, not {input.Shape.ToDisplayString()}");
        }

        var reduction = context.GetString("reduction", "mean");
        if (reduction is not ("none" or "sum" or "mean"))
        {
            throw context.Error($"reduction '{reduction}' is not none, sum or mean");
        }

        var classAxis = b.Int64s(1);
        var target = b.Convert(context.Input(1), ElementType.I64);
        var isTarget = b.Make(ComparisonOps.Equal, [b.Unsqueeze(target, 1), ReductionTranslators.PositionsAlong(context, input, 1)]);
        var zero = b.ScalarLike(input, 0);
        var picked = Sum(b.Select(isTarget, input, zero), classAxis);
        var loss = b.Make(ArithmeticOps.Negative, [picked]);

        // The weight of each target's class: from the weight input, 1 without one, 0 where ignored.
        Output? weight = null;
        if (context.OptionalInput(2) is { } weights)
        {
            var perClass = b.Reshape(weights, [-1, .. Enumerable.Repeat(1L, input.Shape.Rank - 2)]);
            weight = Sum(b.Select(isTarget, perClass, zero), classAxis);
        }

        if (context.HasAttribute("ignore_index"))
        {
            var kept = b.Make(ComparisonOps.NotEqual, [target, b.Int64(context.GetInt("ignore_index"))]);
            weight = b.Select(kept, weight ?? b.ScalarLike(input, 1), zero);
        }

        if (weight is { } used)
        {
            loss = b.Multiply(loss, used);
        }

        if (reduction == "none")
        {
            return loss;
        }

        var allAxes = b.Int64s(Enumerable.Range(0, input.Shape.Rank - 1).Select(i => (long)i).ToArray());
        if (reduction == "sum")
        {
            return Sum(loss, allAxes);
        }

        return weight is { } divisor
            ? b.Divide(Sum(loss, allAxes), Sum(divisor, allAxes))
            : b.Make(ReductionOps.ReduceMean, [loss, allAxes], ("keep_dims", false));

        Output Sum(Output value, Output axes) => b.Make(ReductionOps.ReduceSum, [value, axes], ("keep_dims", false));
    }
}
