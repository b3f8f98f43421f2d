using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Squeeze-1: removes the given size-1 axes, or all size-1 axes when no axes (or an empty axes input) are given.</summary>
public sealed class SqueezeOp : OpDefinition
{
    public SqueezeOp()
        : base("Squeeze", version: 1, minInputs: 1, maxInputs: 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        context.SetOutput(0, context.InputType(0), Squeezed(context, data));
        if (context.Input(0).SymbolicValue is { } value)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).Reshape(context.OutputShape(0))];

    private static PartialShape Squeezed(InferenceContext context, PartialShape data)
    {
        if (!data.IsRankStatic)
        {
            return PartialShape.DynamicRank;
        }

        // An empty axes input squeezes every size-1 axis, as no axes input does (what OpenVINO's runtime does).
        var axesValue = context.InputCount < 2 ? null : context.InputValue(1);
        if (context.InputCount < 2 || axesValue is { ElementCount: 0 })
        {
            if (data.Any(d => d.IsDynamic && d.Contains(1)))
            {
                return PartialShape.DynamicRank;
            }

            return PartialShape.Of(data.Where(d => d != Dimension.Of(1)));
        }

        if (axesValue is null)
        {
            return PartialShape.DynamicRank;
        }

        var axes = new HashSet<int>();
        foreach (var axis in axesValue.ToInt64Array())
        {
            var normalized = NormalizeAxis(context, axis, data.Rank);
            context.Require(data[normalized].Contains(1), $"axis {axis} has size {data[normalized]}, not 1");
            axes.Add(normalized);
        }

        return PartialShape.Of(data.Where((_, i) => !axes.Contains(i)));
    }

    internal static int NormalizeAxis(InferenceContext context, long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        context.Require(normalized >= 0 && normalized < rank, $"axis {axis} is out of range for rank {rank}");
        return (int)normalized;
    }
}

public static partial class ShapeOps
{
    public static readonly OpDefinition Squeeze = new SqueezeOp();
}
