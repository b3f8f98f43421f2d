using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Gather-8: takes slices of <c>data</c> along an axis at <c>indices</c> (negative indices count from the end).</summary>
public sealed class GatherOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_dims", 0)];

    public GatherOp()
        : base("Gather", version: 8, minInputs: 3, maxInputs: 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "indices must be integers");
        var axisValue = context.InputValue(2);
        if (!data.IsRankStatic || !indices.IsRankStatic || axisValue is null)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var axis = SqueezeOp.NormalizeAxis(context, axisValue.GetInt64(0), data.Rank);
        var batchDims = NormalizeBatchDims(context.Attributes.GetInt("batch_dims"), indices.Rank);
        context.Require(batchDims <= axis, $"batch_dims {batchDims} must not exceed axis {axis}");
        var dims = new List<Dimension>();
        dims.AddRange(data.Take(axis));
        dims.AddRange(indices.Skip(batchDims));
        dims.AddRange(data.Skip(axis + 1));
        var output = PartialShape.Of(dims);
        context.SetOutput(0, context.InputType(0), output);

        // Picking entries out of a shape vector (x.shape[i]) keeps what is known about them.
        if (data.Rank == 1 && context.InputAsShape(0) is { } values && context.InputValue(1) is { } picked)
        {
            var chosen = picked.ToInt64Array().Select(i => values[(int)(i < 0 ? i + values.Rank : i)]);
            context.SetSymbolicValue(0, PartialShape.Of(chosen));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1).ToInt64Array();
        var indicesShape = context.Input(1).Shape;
        var axis = ShapeMath.NormalizeAxis(context.Input(2).GetInt64(0), data.Rank);
        var batchDims = NormalizeBatchDims(context.Attributes.GetInt("batch_dims"), indicesShape.Length);
        var shape = context.OutputShape(0);

        // data viewed as [batch, outer, axisLength, inner]; indices as [batch, perBatch].
        var batch = ShapeMath.ElementCount(data.Shape.AsSpan(0, batchDims));
        var outer = ShapeMath.ElementCount(data.Shape.AsSpan(batchDims, axis - batchDims));
        var axisLength = data.Shape[axis];
        var inner = ShapeMath.ElementCount(data.Shape.AsSpan(axis + 1));
        var perBatch = ShapeMath.ElementCount(indicesShape.AsSpan(batchDims));
        var map = new int[ShapeMath.ElementCount(shape)];
        var n = 0;
        for (long b = 0; b < batch; b++)
        {
            for (long o = 0; o < outer; o++)
            {
                for (long k = 0; k < perBatch; k++)
                {
                    var index = indices[b * perBatch + k];
                    if (index < 0)
                    {
                        index += axisLength;
                    }

                    if (index < 0 || index >= axisLength)
                    {
                        throw context.Error($"index {indices[b * perBatch + k]} is out of range for axis length {axisLength}");
                    }

                    var start = ((b * outer + o) * axisLength + index) * inner;
                    for (long i = 0; i < inner; i++)
                    {
                        map[n++] = (int)(start + i);
                    }
                }
            }
        }

        return [data.Remap(shape, map)];
    }

    private static int NormalizeBatchDims(long batchDims, int indicesRank) => (int)(batchDims < 0 ? batchDims + indicesRank : batchDims);
}

public static partial class MovementOps
{
    public static readonly OpDefinition Gather = new GatherOp();
}
