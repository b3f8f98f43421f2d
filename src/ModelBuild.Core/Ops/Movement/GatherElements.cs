using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>GatherElements-6: <c>out[i][j][k] = data[i][indices[i][j][k]][k]</c> (for axis 1); indices in [0, d).</summary>
public sealed class GatherElementsOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public GatherElementsOp()
        : base("GatherElements", version: 6, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        context.Require(context.InputType(1) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, "indices must be i32 or i64");
        var output = indices;
        if (data.IsRankStatic && indices.IsRankStatic)
        {
            context.Require(data.Rank == indices.Rank && data.Rank >= 1, $"data {data.ToDisplayString()} and indices {indices.ToDisplayString()} must have the same rank, 1 or more");
            var axis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), data.Rank);
            output = PartialShape.Of(indices.Select((d, i) => i == axis ? d
                : d.Merge(data[i]) ?? throw context.Error($"indices {indices.ToDisplayString()} differ from data {data.ToDisplayString()} outside axis {axis}")));
        }
        else if (data.IsRankStatic)
        {
            output = PartialShape.DynamicOfRank(data.Rank);
        }

        context.SetOutput(0, context.InputType(0), output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), data.Rank);
        var targets = ElementTargets(context, data.Shape, indices, axis, allowNegative: false);
        return [data.Remap(indices.Shape, targets)];
    }

    /// <summary>
    /// For each element of <paramref name="indices"/>: the flat position in a tensor of <paramref name="dataShape"/>
    /// with the element's own coordinates, except the one on <paramref name="axis"/>, which is the index value.
    /// </summary>
    internal static int[] ElementTargets(EvaluationContext context, long[] dataShape, Tensor indices, int axis, bool allowNegative)
    {
        var strides = ShapeMath.Strides(dataShape);
        var baseStrides = (long[])strides.Clone();
        baseStrides[axis] = 0;
        var targets = IndexMaps.Strided(indices.Shape, baseStrides, 0);
        var values = indices.ToInt64Array();
        var length = dataShape[axis];
        for (var n = 0; n < targets.Length; n++)
        {
            var index = values[n] < 0 && allowNegative ? values[n] + length : values[n];
            if (index < 0 || index >= length)
            {
                throw context.Error($"index {values[n]} is out of range for axis length {length}");
            }

            targets[n] += (int)(index * strides[axis]);
        }

        return targets;
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition GatherElements = new GatherElementsOp();
}
