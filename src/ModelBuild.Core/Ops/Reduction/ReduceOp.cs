using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>How a reduction folds the values of one output element.</summary>
public enum ReductionKind
{
    Sum,
    Mean,
    Max,
    Min,
    Prod,
    L1,
    L2,
    LogicalAnd,
    LogicalOr,
}

/// <summary>
/// Reduce* ops: (data, axes) with <c>keep_dims</c>. Axes may be negative; an empty axes list
/// reduces nothing (the output equals the input).
/// </summary>
public sealed class ReduceOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("keep_dims", false)];
    private readonly ReductionKind _kind;

    public ReduceOp(string type, int version, ReductionKind kind)
        : base(type, version, minInputs: 2, maxInputs: 2) => _kind = kind;

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        var logical = _kind is ReductionKind.LogicalAnd or ReductionKind.LogicalOr;
        context.Require(type == ElementType.Dynamic || (logical ? type == ElementType.Boolean : type.IsNumeric()),
            $"does not accept {type.IrName()} input");
        var data = context.InputShape(0);
        var keepDims = context.Attributes.GetBool("keep_dims");
        var axesValue = context.InputValue(1);
        if (!data.IsRankStatic || axesValue is null)
        {
            var rank = keepDims && data.IsRankStatic ? data.Rank : (int?)null;
            context.SetOutput(0, type, rank is null ? PartialShape.DynamicRank : PartialShape.DynamicOfRank(rank.Value));
            return;
        }

        var axes = NormalizeAxes(context, axesValue, data.Rank);
        var dims = new List<Dimension>();
        for (var i = 0; i < data.Rank; i++)
        {
            if (!axes.Contains(i))
            {
                dims.Add(data[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }

        context.SetOutput(0, type, PartialShape.Of(dims));

        // The product of shape entries (e.g. a flattened size) stays known where it can be.
        if (_kind is ReductionKind.Prod or ReductionKind.Sum && data.Rank == 1 && context.InputAsShape(0) is { } values && axes.Count == 1)
        {
            var total = _kind == ReductionKind.Prod ? Dimension.Of(1) : Dimension.Of(0);
            foreach (var value in values)
            {
                total = _kind == ReductionKind.Prod ? total * value : total + value;
            }

            context.SetSymbolicValue(0, PartialShape.Of(total));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axes = NormalizeAxes(null, context.Input(1), data.Rank);
        var outputShape = context.OutputShape(0);

        // Each input element adds into the output element that has its coordinates with reduced axes dropped.
        var target = Reference.IndexMaps.Reduction(data.Shape, axes, out var reducedShape);
        var outputCount = (int)ShapeMath.ElementCount(reducedShape);
        var groupSize = outputCount == 0 ? 0 : data.ElementCount / outputCount;

        if (data.Type.IsFloatingPoint() || _kind is ReductionKind.Mean or ReductionKind.L2 or ReductionKind.LogicalAnd or ReductionKind.LogicalOr)
        {
            var values = data.ToDoubleArray();
            var accumulators = Initial(outputCount, _kind);
            for (var i = 0; i < values.Length; i++)
            {
                accumulators[target[i]] = Accumulate(_kind, accumulators[target[i]], values[i]);
            }

            for (var i = 0; i < accumulators.Length; i++)
            {
                accumulators[i] = Finish(_kind, accumulators[i], groupSize);
            }

            return [Tensor.FromDoubles(data.Type, accumulators, outputShape)];
        }

        var integers = data.ToInt64Array();
        var totals = Array.ConvertAll(Initial(outputCount, _kind), v => v == double.PositiveInfinity ? long.MaxValue : v == double.NegativeInfinity ? long.MinValue : (long)v);
        for (var i = 0; i < integers.Length; i++)
        {
            totals[target[i]] = AccumulateInteger(_kind, totals[target[i]], integers[i], data.Type == ElementType.U64);
        }

        return [Tensor.FromInt64s(data.Type, totals, outputShape)];
    }

    /// <summary>Normalized, distinct axes; throws when one is out of range.</summary>
    public static HashSet<int> NormalizeAxes(InferenceContext? context, Tensor axes, int rank)
    {
        var result = new HashSet<int>();
        foreach (var axis in axes.ToInt64Array())
        {
            var normalized = axis < 0 ? axis + rank : axis;
            if (normalized < 0 || normalized >= rank)
            {
                var message = $"axis {axis} is out of range for rank {rank}";
                throw context?.Error(message) ?? new InferenceException(message);
            }

            result.Add((int)normalized);
        }

        return result;
    }

    private static double[] Initial(int count, ReductionKind kind)
    {
        var values = new double[count];
        var initial = kind switch
        {
            ReductionKind.Max => double.NegativeInfinity,
            ReductionKind.Min => double.PositiveInfinity,
            ReductionKind.Prod or ReductionKind.LogicalAnd => 1,
            _ => 0,
        };
        Array.Fill(values, initial);
        return values;
    }

    private static double Accumulate(ReductionKind kind, double total, double value) => kind switch
    {
        ReductionKind.Sum or ReductionKind.Mean => total + value,
        ReductionKind.Max => double.IsNaN(value) || value > total ? value : total,
        ReductionKind.Min => double.IsNaN(value) || value < total ? value : total,
        ReductionKind.Prod => total * value,
        ReductionKind.L1 => total + Math.Abs(value),
        ReductionKind.L2 => total + value * value,
        ReductionKind.LogicalAnd => total != 0 && value != 0 ? 1 : 0,
        ReductionKind.LogicalOr => total != 0 || value != 0 ? 1 : 0,
        _ => throw new InvalidOperationException(),
    };

    private static long AccumulateInteger(ReductionKind kind, long total, long value, bool unsigned) => kind switch
    {
        ReductionKind.Sum => unchecked(total + value),
        ReductionKind.Prod => unchecked(total * value),
        ReductionKind.Max => (unsigned ? (ulong)value > (ulong)total : value > total) || total == long.MinValue ? value : total,
        ReductionKind.Min => (unsigned ? (ulong)value < (ulong)total : value < total) || total == long.MaxValue ? value : total,
        ReductionKind.L1 => unchecked(total + Math.Abs(value)),
        _ => throw new InvalidOperationException(),
    };

    private static double Finish(ReductionKind kind, double total, long groupSize) => kind switch
    {
        ReductionKind.Mean => total / groupSize,
        ReductionKind.L2 => Math.Sqrt(total),
        _ => total,
    };
}
