using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// GatherND-8: gathers elements or slices of <c>data</c> addressed by the index tuples in the last
/// axis of <c>indices</c>, batch by batch over the first <c>batch_dims</c> axes. Negative indices count from the end.
/// </summary>
public sealed class GatherNDOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_dims", 0)];

    public GatherNDOp()
        : base("GatherND", version: 8, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "indices must be integers");
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        var batchDims = (int)context.Attributes.GetInt("batch_dims");
        context.Require(batchDims >= 0, "batch_dims must not be negative");
        context.Require(!indices.IsRankStatic || indices.Rank >= 1, "indices must have rank 1 or more");
        if (!data.IsRankStatic || !indices.IsRankStatic || !indices[^1].IsStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var depth = (int)indices[^1].Length;
        context.Require(batchDims < Math.Min(data.Rank, indices.Rank), $"batch_dims {batchDims} must be less than the ranks of data and indices");
        context.Require(batchDims + depth <= data.Rank, $"index tuples of length {depth} after {batchDims} batch dims exceed the data rank {data.Rank}");
        var dims = new List<Dimension>();
        for (var i = 0; i < indices.Rank - 1; i++)
        {
            dims.Add(i < batchDims
                ? indices[i].Merge(data[i]) ?? throw context.Error($"batch dim {i} differs between data {data.ToDisplayString()} and indices {indices.ToDisplayString()}")
                : indices[i]);
        }

        dims.AddRange(data.Skip(batchDims + depth));
        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var batchDims = (int)context.Attributes.GetInt("batch_dims");
        var shape = context.OutputShape(0);
        var sources = SliceOffsets(context, data.Shape, indices, batchDims, out var sliceSize);
        var map = new int[ShapeMath.ElementCount(shape)];
        for (var n = 0; n < sources.Length; n++)
        {
            for (var s = 0; s < sliceSize; s++)
            {
                map[n * sliceSize + s] = (int)(sources[n] + s);
            }
        }

        return [data.Remap(shape, map)];
    }

    /// <summary>
    /// The flat offset in <paramref name="dataShape"/> of the slice each index tuple (last axis of
    /// <paramref name="indices"/>) addresses within its batch, and the slice's element count.
    /// </summary>
    internal static long[] SliceOffsets(EvaluationContext context, long[] dataShape, Tensor indices, int batchDims, out int sliceSize)
    {
        var depth = (int)indices.Shape[^1];
        var strides = ShapeMath.Strides(dataShape);
        var values = indices.ToInt64Array();
        var tuples = depth == 0 ? ShapeMath.ElementCount(indices.Shape.AsSpan(0, indices.Rank - 1)) : values.Length / depth;
        var batches = ShapeMath.ElementCount(dataShape.AsSpan(0, batchDims));
        var tuplesPerBatch = batches == 0 ? 0 : tuples / batches;
        var batchSize = ShapeMath.ElementCount(dataShape.AsSpan(batchDims));
        sliceSize = (int)ShapeMath.ElementCount(dataShape.AsSpan(batchDims + depth));
        var offsets = new long[tuples];
        for (long t = 0; t < tuples; t++)
        {
            var offset = t / tuplesPerBatch * batchSize;
            for (var j = 0; j < depth; j++)
            {
                var length = dataShape[batchDims + j];
                var index = values[t * depth + j];
                var normalized = index < 0 ? index + length : index;
                if (normalized < 0 || normalized >= length)
                {
                    throw context.Error($"index {index} is out of range for dimension {batchDims + j} of length {length}");
                }

                offset += normalized * strides[batchDims + j];
            }

            offsets[t] = offset;
        }

        return offsets;
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition GatherND = new GatherNDOp();
}
