using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Split-1: cuts <c>data</c> into <c>num_splits</c> equal parts along a constant scalar axis.</summary>
public sealed class SplitOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("num_splits")];

    public SplitOp()
        : base("Split", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var parts = context.Attributes.GetInt("num_splits");
        context.Require(parts is >= 1 and <= EvaluationBudget.OutputCountLimit, $"num_splits must be from 1 to {EvaluationBudget.OutputCountLimit}, not {parts}");
        var data = context.InputShape(0);
        var axis = SplitAxis(context, data);
        for (var i = 0; i < parts; i++)
        {
            context.SetOutput(i, context.InputType(0), axis is null ? PartShape(data, null, Dimension.Dynamic) : PartShape(data, axis, Part(context, data[axis.Value], parts)));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank);
        var parts = context.Attributes.GetInt("num_splits");
        return SplitAlong(data, axis, Enumerable.Repeat(data.Shape[axis] / parts, (int)parts).ToArray());
    }

    /// <summary>The normalized constant split axis, or null when it or the data rank is unknown.</summary>
    internal static int? SplitAxis(InferenceContext context, PartialShape data)
    {
        var shape = context.InputShape(1);
        context.Require(!shape.IsRankStatic || shape.Rank == 0 || shape.IsStatic && shape.ElementCount() == Dimension.Of(1), "axis must be a scalar");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "axis must be an integer");
        var value = context.InputValue(1);
        return value is null || !data.IsRankStatic ? null : SqueezeOp.NormalizeAxis(context, value.GetInt64(0), data.Rank);
    }

    /// <summary>The data shape with the split axis set to <paramref name="dim"/> (all dims unknown when the axis is).</summary>
    internal static PartialShape PartShape(PartialShape data, int? axis, Dimension dim)
    {
        if (!data.IsRankStatic)
        {
            return PartialShape.DynamicRank;
        }

        return axis is null
            ? PartialShape.DynamicOfRank(data.Rank)
            : PartialShape.Of(data.Select((d, i) => i == axis ? dim : d));
    }

    /// <summary>Cuts <paramref name="data"/> into consecutive parts of the given lengths along <paramref name="axis"/>.</summary>
    internal static Tensor[] SplitAlong(Tensor data, int axis, long[] lengths)
    {
        var strides = ShapeMath.Strides(data.Shape);
        var parts = new Tensor[lengths.Length];
        long start = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var shape = (long[])data.Shape.Clone();
            shape[axis] = lengths[i];
            parts[i] = data.Remap(shape, IndexMaps.Strided(shape, strides, start * strides[axis]));
            start += lengths[i];
        }

        return parts;
    }

    private static Dimension Part(InferenceContext context, Dimension dim, long parts)
    {
        if (!dim.IsStatic)
        {
            return dim.FloorDivide(parts);
        }

        context.Require(dim.Length % parts == 0, $"dimension {dim.Length} does not split into {parts} equal parts");
        return dim.Length / parts;
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Split = new SplitOp();
}
