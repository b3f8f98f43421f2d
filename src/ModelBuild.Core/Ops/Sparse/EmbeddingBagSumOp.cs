using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// EmbeddingBagOffsetsSum-3 and EmbeddingBagPackedSum-3: sums of "bags" of rows of an embedding
/// table [num_emb, d1, ...], optionally weighted per index. Offsets form: 1-D indices, 1-D offsets
/// (bag b holds indices[offsets[b] .. offsets[b+1]), the last bag runs to the end), an optional
/// default_index whose row fills empty bags (absent or -1: zeros) and optional per-sample weights
/// shaped like the indices. Packed form: indices [batch, bag_size], one bag per row, optional
/// weights of the same shape. Output [bags, d1, ...].
/// </summary>
public sealed class EmbeddingBagSumOp : OpDefinition
{
    private readonly bool _packed;

    private EmbeddingBagSumOp(string type, bool packed, int maxInputs)
        : base(type, version: 3, minInputs: 2, maxInputs) => _packed = packed;

    public static EmbeddingBagSumOp Offsets() => new("EmbeddingBagOffsetsSum", packed: false, maxInputs: 5);

    public static EmbeddingBagSumOp Packed() => new("EmbeddingBagPackedSum", packed: true, maxInputs: 3);

    private int WeightsInput => _packed ? 2 : 4;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"the table must be numeric, not {type.IrName()}");
        var indexType = context.InputType(1);
        context.Require(indexType is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, $"indices must be i32 or i64, not {indexType.IrName()}");
        context.Require(_packed || context.InputCount >= 3, "needs offsets (input 2)");
        for (var i = 2; i < context.InputCount && i < WeightsInput; i++)
        {
            var other = context.InputType(i);
            context.Require(other == indexType || other == ElementType.Dynamic || indexType == ElementType.Dynamic,
                $"input {i} is {other.IrName()}, the indices are {indexType.IrName()}");
        }

        var table = context.InputShape(0);
        var indices = context.InputShape(1);
        context.Require(!table.IsRankStatic || table.Rank >= 2, $"the table must have rank 2 or more, its shape is {table.ToDisplayString()}");
        context.Require(!indices.IsRankStatic || indices.Rank == (_packed ? 2 : 1),
            $"indices must have rank {(_packed ? 2 : 1)}, their shape is {indices.ToDisplayString()}");
        if (!_packed)
        {
            var offsets = context.InputShape(2);
            context.Require(!offsets.IsRankStatic || offsets.Rank == 1, $"offsets must have rank 1, their shape is {offsets.ToDisplayString()}");
            if (context.InputCount > 3)
            {
                var defaultIndex = context.InputShape(3);
                context.Require(!defaultIndex.IsRankStatic || defaultIndex.Rank == 0, $"default_index must be a scalar, its shape is {defaultIndex.ToDisplayString()}");
            }
        }

        if (context.InputCount > WeightsInput)
        {
            var weights = context.InputShape(WeightsInput);
            context.Require(weights.IsCompatible(indices), $"per_sample_weights {weights.ToDisplayString()} must be shaped like the indices {indices.ToDisplayString()}");
            var weightsType = context.InputType(WeightsInput);
            context.Require(weightsType == type || weightsType == ElementType.Dynamic || type == ElementType.Dynamic,
                $"per_sample_weights are {weightsType.IrName()}, the table is {type.IrName()}");
        }

        if (!table.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        var bags = _packed
            ? indices.IsRankStatic ? indices[0] : Dimension.Dynamic
            : context.InputShape(2).IsRankStatic ? context.InputShape(2)[0] : Dimension.Dynamic;
        context.SetOutput(0, type, PartialShape.Of([bags, .. table.Skip(1)]));
    }

    /// <summary>Each index adds one table row.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var table = context.Input(0);
        return EvaluationBudget.Product(context.Input(1).ElementCount, table.Rank > 0 && table.Shape[0] > 0 ? table.ElementCount / table.Shape[0] : 1);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var table = context.Input(0);
        var rows = table.Shape[0];
        var rowSize = (int)ShapeMath.ElementCount(table.Shape.AsSpan(1));
        var values = table.ToDoubleArray();
        var indices = context.Input(1).ToInt64Array();
        var weights = context.InputCount > WeightsInput ? context.Input(WeightsInput).ToDoubleArray() : null;
        var (starts, ends, defaultIndex) = _packed ? PackedBags(context) : OffsetBags(context, indices.Length);
        var output = new double[starts.Length * rowSize];
        for (var bag = 0; bag < starts.Length; bag++)
        {
            var sum = output.AsSpan(bag * rowSize, rowSize);
            if (starts[bag] >= ends[bag])
            {
                if (defaultIndex >= 0)
                {
                    Row(context, values, rows, rowSize, defaultIndex).CopyTo(sum);
                }

                continue;
            }

            for (var k = starts[bag]; k < ends[bag]; k++)
            {
                var row = Row(context, values, rows, rowSize, indices[k]);
                var weight = weights?[k] ?? 1;
                for (var j = 0; j < rowSize; j++)
                {
                    sum[j] += weight * row[j];
                }
            }
        }

        return [Tensor.FromDoubles(table.Type, output, context.OutputShape(0))];
    }

    private static (long[] Starts, long[] Ends, long DefaultIndex) PackedBags(EvaluationContext context)
    {
        var shape = context.Input(1).Shape;
        var (batch, size) = (shape[0], shape[1]);
        var starts = new long[batch];
        var ends = new long[batch];
        for (var b = 0; b < batch; b++)
        {
            starts[b] = b * size;
            ends[b] = (b + 1) * size;
        }

        return (starts, ends, -1);
    }

    private static (long[] Starts, long[] Ends, long DefaultIndex) OffsetBags(EvaluationContext context, long indexCount)
    {
        var starts = context.Input(2).ToInt64Array();
        var ends = new long[starts.Length];
        for (var b = 0; b < starts.Length; b++)
        {
            ends[b] = b + 1 < starts.Length ? starts[b + 1] : indexCount;
            if (starts[b] < 0 || starts[b] > indexCount || ends[b] > indexCount)
            {
                throw context.Error($"offset {starts[b]} of bag {b} is out of range for {indexCount} indices");
            }
        }

        return (starts, ends, context.InputCount > 3 ? context.Input(3).GetInt64(0) : -1);
    }

    private static ReadOnlySpan<double> Row(EvaluationContext context, double[] values, long rows, int rowSize, long index)
    {
        if (index < 0 || index >= rows)
        {
            throw context.Error($"index {index} is out of range for a table of {rows} rows");
        }

        return values.AsSpan((int)index * rowSize, rowSize);
    }
}
