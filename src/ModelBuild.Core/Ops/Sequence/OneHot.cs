using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// OneHot-1: a new axis of length <c>depth</c> at <c>axis</c>, holding <c>on_value</c> where it
/// equals the index and <c>off_value</c> elsewhere (indices outside [0, depth) give all off).
/// </summary>
public sealed class OneHotOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public OneHotOp()
        : base("OneHot", version: 1, minInputs: 4, maxInputs: 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(0).IsInteger() || context.InputType(0) == ElementType.Dynamic, "indices must be integers");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "depth must be an integer");
        var type = context.InputType(2);
        context.Require(context.InputType(3) == type || type == ElementType.Dynamic || context.InputType(3) == ElementType.Dynamic,
            $"on_value is {type.IrName()}, off_value is {context.InputType(3).IrName()}");
        for (var i = 1; i < 4; i++)
        {
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || shape.Rank == 0, $"input {i} must be a scalar, not {shape.ToDisplayString()}");
        }

        var indices = context.InputShape(0);
        if (!indices.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        Dimension depth = Dimension.Dynamic;
        if (context.InputValue(1) is { } depthValue)
        {
            context.Require(depthValue.GetInt64(0) >= 0, $"depth {depthValue.GetInt64(0)} must not be negative");
            depth = depthValue.GetInt64(0);
        }

        var axis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), indices.Rank + 1);
        var dims = indices.ToList();
        dims.Insert(axis, depth);
        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var indices = context.Input(0);
        var shape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), shape.Length);
        var depth = shape[axis];
        var inner = ShapeMath.ElementCount(indices.Shape.AsSpan(axis));
        var values = indices.ToInt64Array();

        // Output viewed as [outer, depth, inner]; the on value sits after the off value.
        var both = Tensor.ConcatenateFlat(context.Input(3).Type, [2], [context.Input(3), context.Input(2)]);
        var map = new int[ShapeMath.ElementCount(shape)];
        for (var n = 0; n < map.Length; n++)
        {
            var i = n % inner;
            var d = n / inner % depth;
            var o = n / inner / depth;
            map[n] = values[o * inner + i] == d ? 1 : 0;
        }

        return [both.Remap(shape, map)];
    }
}

public static partial class SequenceOps
{
    public static readonly OpDefinition OneHot = new OneHotOp();
}
