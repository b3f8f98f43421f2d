using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Concat-1: joins inputs of equal rank and type along <c>axis</c>.</summary>
public sealed class ConcatOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public ConcatOp()
        : base("Concat", version: 1, minInputs: 1, maxInputs: int.MaxValue)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var type = ElementType.Dynamic;
        PartialShape? shape = null;
        var axisValue = context.Attributes.GetInt("axis");
        Dimension concatenated = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var inputType = context.InputType(i);
            context.Require(type == ElementType.Dynamic || inputType == ElementType.Dynamic || inputType == type,
                $"input {i} is {inputType.IrName()}, the others are {type.IrName()}");
            type = inputType == ElementType.Dynamic ? type : inputType;

            var input = context.InputShape(i);
            if (!input.IsRankStatic)
            {
                continue;
            }

            var axis = SqueezeOp.NormalizeAxis(context, axisValue, input.Rank);
            concatenated += input[axis];
            var others = PartialShape.Of(input.Select((d, k) => k == axis ? Dimension.Dynamic : d));
            shape = shape is null ? others : shape.Merge(others)
                ?? throw context.Error($"input {i} has shape {input.ToDisplayString()}, which does not match the other inputs");
        }

        if (shape is null || Enumerable.Range(0, context.InputCount).Any(i => !context.InputShape(i).IsRankStatic))
        {
            context.SetOutput(0, type, shape is null ? PartialShape.DynamicRank : WithAxis(shape, axisValue, Dimension.Dynamic));
            return;
        }

        var output = WithAxis(shape, axisValue, concatenated);
        context.SetOutput(0, type, output);
        InferSymbolicValue(context, output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), shape.Length);
        var inputs = context.Inputs;
        var outer = ShapeMath.ElementCount(shape.AsSpan(0, axis));
        var type = inputs[0].Type;
        var result = Tensor.NewStorage(type, ShapeMath.ElementCount(shape));
        long offset = 0;
        for (long o = 0; o < outer; o++)
        {
            foreach (var input in inputs)
            {
                var block = ShapeMath.ElementCount(input.Shape.AsSpan(axis));
                Array.Copy(input.Data, o * block, result, offset, block);
                offset += block;
            }
        }

        return [new Tensor(type, shape, result)];
    }

    private static PartialShape WithAxis(PartialShape shape, long axis, Dimension dim)
    {
        var dims = shape.ToArray();
        dims[ShapeMath.NormalizeAxis(axis, dims.Length)] = dim;
        return PartialShape.Of(dims);
    }

    private static void InferSymbolicValue(InferenceContext context, PartialShape output)
    {
        if (output.Rank != 1)
        {
            return;
        }

        var values = new List<Dimension>();
        for (var i = 0; i < context.InputCount; i++)
        {
            var value = context.InputAsShape(i);
            if (value is null)
            {
                return;
            }

            values.AddRange(value);
        }

        context.SetSymbolicValue(0, PartialShape.Of(values));
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Concat = new ConcatOp();
}
