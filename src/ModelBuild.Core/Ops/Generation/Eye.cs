using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Eye-9: a (batch of) [num_rows, num_columns] matrix with ones on the diagonal shifted by <c>diagonal_index</c>.</summary>
public sealed class EyeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type")];

    public EyeOp()
        : base("Eye", version: 9, minInputs: 3, maxInputs: 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.Attributes.GetElementType("output_type");
        context.Require(type.IsNumeric(), $"output_type must be numeric, not {type.IrName()}");
        for (var i = 0; i < context.InputCount; i++)
        {
            context.Require(context.InputType(i) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, $"input {i} must be i32 or i64");
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || (i == 3 ? shape.Rank == 1 : shape.Rank == 0 || shape.Rank == 1 && shape[0].Contains(1)),
                i == 3 ? "batch_shape must be 1-D" : $"input {i} must be a scalar or a one-element vector");
        }

        var dims = new List<Dimension>();
        if (context.InputCount > 3)
        {
            var batch = context.InputAsShape(3);
            var batchShape = context.InputShape(3);
            if (batch is null && !batchShape.IsStatic)
            {
                context.SetOutput(0, type, PartialShape.DynamicRank);
                return;
            }

            dims.AddRange(batch ?? PartialShape.DynamicOfRank((int)batchShape[0].Length));
        }

        dims.Add(MatrixDim(context, 0));
        dims.Add(MatrixDim(context, 1));
        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.OutputShape(0);
        var (rows, columns) = (shape[^2], shape[^1]);
        var diagonal = context.Input(2).GetInt64(0);
        var values = new double[ShapeMath.ElementCount(shape)];
        for (long m = 0; m < values.Length; m += rows * columns)
        {
            for (long r = Math.Max(0, -diagonal); r < rows && r + diagonal < columns; r++)
            {
                values[m + r * columns + r + diagonal] = 1;
            }
        }

        return [Tensor.FromDoubles(context.OutputType(0), values, shape)];
    }

    private static Dimension MatrixDim(InferenceContext context, int input)
    {
        if (context.InputAsShape(input) is { } known)
        {
            return known[0];
        }

        if (context.InputValue(input) is { } value)
        {
            throw context.Error($"{(input == 0 ? "num_rows" : "num_columns")} {value.GetInt64(0)} must not be negative");
        }

        return Dimension.Dynamic;
    }
}

public static partial class GenerationOps
{
    public static readonly OpDefinition Eye = new EyeOp();
}
