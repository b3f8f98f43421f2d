using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>VariadicSplit-1: cuts <c>data</c> along an axis into parts of the given lengths; one length may be -1 (the rest).</summary>
public sealed class VariadicSplitOp : OpDefinition
{
    public VariadicSplitOp()
        : base("VariadicSplit", version: 1, minInputs: 3, maxInputs: 3)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var lengthsShape = context.InputShape(2);
        context.Require(lengthsShape.IsStatic && lengthsShape.Rank == 1, $"split_lengths must be 1-D of a known length, not {lengthsShape.ToDisplayString()}");
        context.Require(context.InputType(2).IsInteger() || context.InputType(2) == ElementType.Dynamic, "split_lengths must be integers");
        context.Require(lengthsShape[0].Length <= EvaluationBudget.OutputCountLimit, $"split_lengths may have up to {EvaluationBudget.OutputCountLimit} parts, not {lengthsShape[0].Length}");
        var count = (int)lengthsShape[0].Length;
        var data = context.InputShape(0);
        var axis = SplitOp.SplitAxis(context, data);
        var lengths = context.InputValue(2);
        var dims = axis is not null && lengths is not null
            ? Resolve(context, lengths.ToInt64Array(), data[axis.Value]).Select(Dimension.Of).ToArray()
            : Enumerable.Repeat(axis is null ? Dimension.Dynamic : new Dimension(0, data[axis.Value].Max), count).ToArray();
        for (var i = 0; i < count; i++)
        {
            context.SetOutput(i, context.InputType(0), SplitOp.PartShape(data, axis, dims[i]));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank);
        return SplitOp.SplitAlong(data, axis, Resolve(null, context.Input(2).ToInt64Array(), data.Shape[axis]));
    }

    /// <summary>The lengths with -1 resolved; throws when they do not add up to the dim.</summary>
    private static long[] Resolve(InferenceContext? context, long[] lengths, Dimension dim)
    {
        var rest = Array.IndexOf(lengths, -1L);
        var known = lengths.Where(l => l != -1).ToArray();
        Check(context, known.All(l => l >= 0) && lengths.Count(l => l == -1) <= 1, $"split_lengths [{string.Join(",", lengths)}] may hold non-negative lengths and at most one -1");
        if (!dim.IsStatic)
        {
            Check(context, rest < 0, "a -1 split length needs a static dimension");
            return lengths;
        }

        var sum = known.Sum();
        var result = (long[])lengths.Clone();
        if (rest >= 0)
        {
            Check(context, sum <= dim.Length, $"split_lengths [{string.Join(",", lengths)}] exceed the dimension {dim.Length}");
            result[rest] = dim.Length - sum;
        }
        else
        {
            Check(context, sum == dim.Length, $"split_lengths [{string.Join(",", lengths)}] do not add up to the dimension {dim.Length}");
        }

        return result;
    }

    private static void Check(InferenceContext? context, bool condition, string message) =>
        SlicingChecks.Require(context, "VariadicSplit", condition, message);
}

public static partial class MovementOps
{
    public static readonly OpDefinition VariadicSplit = new VariadicSplitOp();
}
