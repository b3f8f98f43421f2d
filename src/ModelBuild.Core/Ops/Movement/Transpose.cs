using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Transpose-1: permutes axes by a constant order input; an empty order reverses them.</summary>
public sealed class TransposeOp : OpDefinition
{
    public TransposeOp()
        : base("Transpose", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var order = context.InputValue(1);
        if (order is null || !data.IsRankStatic)
        {
            context.SetOutput(0, context.InputType(0), data.IsRankStatic ? PartialShape.DynamicOfRank(data.Rank) : PartialShape.DynamicRank);
            return;
        }

        var permutation = Permutation(context, order, data.Rank);
        context.SetOutput(0, context.InputType(0), PartialShape.Of(permutation.Select(axis => data[axis])));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var order = Permutation(null, context.Input(1), data.Rank);
        var map = IndexMaps.Transpose(data.Shape, order, out var shape);
        return [data.Remap(shape, map)];
    }

    private static int[] Permutation(InferenceContext? context, Tensor order, int rank)
    {
        var values = order.ToInt64Array();
        if (values.Length == 0)
        {
            return Enumerable.Range(0, rank).Reverse().ToArray();
        }

        var permutation = values.Select(v => (int)(v < 0 ? v + rank : v)).ToArray();
        var valid = permutation.Length == rank && permutation.OrderBy(v => v).SequenceEqual(Enumerable.Range(0, rank));
        if (!valid)
        {
            var message = $"order [{string.Join(",", values)}] is not a permutation of {rank} axes";
            throw context?.Error(message) ?? new InferenceException($"Transpose: {message}");
        }

        return permutation;
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Transpose = new TransposeOp();
}
