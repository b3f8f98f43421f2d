using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>NonZero-3: the coordinates of the non-zero elements, as a [rank, count] tensor in row-major order.</summary>
public sealed class NonZeroOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type", ElementType.I64)];

    public NonZeroOp()
        : base("NonZero", version: 3, minInputs: 1, maxInputs: 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.Attributes.GetElementType("output_type");
        context.Require(type is ElementType.I64 or ElementType.I32, $"output_type must be i64 or i32, not {type.IrName()}");
        var data = context.InputShape(0);
        var count = context.InputValue(0) is { } value
            ? Dimension.Of(Enumerable.Range(0, (int)value.ElementCount).Count(i => IsNonZero(value, i)))
            : new Dimension(0, data.ElementCount().Max);
        context.SetOutput(0, type, data.IsRankStatic ? PartialShape.Of(Math.Max(data.Rank, 1), count) : PartialShape.Of(Dimension.Dynamic, count));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var rank = data.Rank;
        var count = shape[1];
        var coordinates = new long[shape[0] * count];
        var strides = ShapeMath.Strides(data.Shape);
        var k = 0;
        for (var n = 0; n < data.ElementCount; n++)
        {
            if (!IsNonZero(data, n))
            {
                continue;
            }

            for (var axis = 0; axis < rank; axis++)
            {
                coordinates[axis * count + k] = n / strides[axis] % data.Shape[axis];
            }

            k++;
        }

        return [Tensor.FromInt64s(context.OutputType(0), coordinates, shape)];
    }

    private static bool IsNonZero(Tensor value, int index) =>
        value.Type == ElementType.String ? ((string[])value.Data)[index].Length > 0 : value.GetDouble(index) != 0;
}

public static partial class ConditionOps
{
    public static readonly OpDefinition NonZero = new NonZeroOp();
}
