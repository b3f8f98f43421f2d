using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Slice-8: Python-style <c>data[start:stop:step]</c> on the listed axes (all leading axes when
/// <c>axes</c> is absent). Out-of-range starts and stops are clamped; negative values count from the end.
/// </summary>
public sealed class SliceOp : OpDefinition
{
    public SliceOp()
        : base("Slice", version: 8, minInputs: 4, maxInputs: 5)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        for (var i = 1; i < context.InputCount; i++)
        {
            var type = context.InputType(i);
            context.Require(type.IsInteger() || type == ElementType.Dynamic, $"input {i} must be integers, not {type.IrName()}");
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || shape.Rank == 1, $"input {i} must be 1-D, not {shape.ToDisplayString()}");
        }

        var data = context.InputShape(0);
        if (!data.IsRankStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        context.Require(data.Rank >= 1, "data must have rank 1 or more");
        var parameters = Parameters(context, data.Rank);
        var dims = data.ToArray();
        if (parameters is null)
        {
            // Unknown bounds: the sliced axes (all, when even they are unknown) keep only an upper bound.
            foreach (var axis in SlicedAxesWhenUnknown(context, data.Rank))
            {
                dims[axis] = new Dimension(0, data[axis].Max);
            }

            context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
            return;
        }

        foreach (var (axis, start, stop, step) in parameters)
        {
            dims[axis] = Length(data[axis], start, stop, step);
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));

        // Slicing a shape vector (x.shape[2:]) keeps what is known about the picked dims.
        if (data.Rank == 1 && parameters.Count == 1 && context.InputAsShape(0) is { } values)
        {
            var (_, start, stop, step) = parameters[0];
            var (first, count) = Resolve(values.Rank, start, stop, step);
            context.SetSymbolicValue(0, PartialShape.Of(Enumerable.Range(0, (int)count).Select(k => values[(int)(first + k * step)])));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var strides = ShapeMath.Strides(data.Shape);
        var shape = (long[])data.Shape.Clone();
        var viewStrides = (long[])strides.Clone();
        long offset = 0;
        foreach (var (axis, start, stop, step) in Parameters(null, data.Rank, context.Inputs)!)
        {
            var (first, count) = Resolve(data.Shape[axis], start, stop, step);
            shape[axis] = count;
            viewStrides[axis] = strides[axis] * step;
            offset += count > 0 ? first * strides[axis] : 0;
        }

        return [data.Remap(shape, IndexMaps.Strided(shape, viewStrides, offset))];
    }

    /// <summary>
    /// The first index and the element count of <c>[start:stop:step]</c> on an axis of length
    /// <paramref name="length"/>, with Python's clamping rules.
    /// </summary>
    public static (long First, long Count) Resolve(long length, long start, long stop, long step)
    {
        if (step > 0)
        {
            start = start < 0 ? Math.Max(start + length, 0) : Math.Min(start, length);
            stop = stop < 0 ? Math.Max(stop + length, 0) : Math.Min(stop, length);
            return (start, stop > start ? CeilDivide(stop - start, step) : 0);
        }

        start = start < 0 ? Math.Max(start + length, -1) : Math.Min(start, length - 1);
        stop = stop < 0 ? Math.Max(stop + length, -1) : Math.Min(stop, length - 1);
        return (start, start > stop ? CeilDivide(start - stop, step == long.MinValue ? long.MaxValue : -step) : 0);
    }

    private static long CeilDivide(long a, long b) => a / b + (a % b != 0 ? 1 : 0);

    private static Dimension Length(Dimension dim, long start, long stop, long step)
    {
        if (dim.IsStatic)
        {
            return Resolve(dim.Length, start, stop, step).Count;
        }

        // With non-negative bounds and a positive step the length grows with the dim, so the
        // interval's ends give the bounds (x[:, 0:3] on a dynamic dim is 0..3).
        if (step > 0 && start >= 0 && stop >= 0)
        {
            var max = dim.Max == Dimension.Unbounded
                ? stop >= Dimension.Unbounded / 2 ? Dimension.Unbounded : Resolve(stop, start, stop, step).Count
                : Resolve(dim.Max, start, stop, step).Count;
            return new Dimension(Resolve(dim.Min, start, stop, step).Count, max);
        }

        return new Dimension(0, dim.Max);
    }

    /// <summary>(axis, start, stop, step) per sliced axis, or null when some input is not constant.</summary>
    private static List<(int Axis, long Start, long Stop, long Step)>? Parameters(InferenceContext? context, int rank, IReadOnlyList<Tensor>? inputs = null)
    {
        var values = new long[4][];
        for (var i = 1; i < 5; i++)
        {
            var count = inputs?.Count ?? context!.InputCount;
            if (i == 4 && count < 5)
            {
                break;
            }

            var value = inputs is not null ? inputs[i] : context!.InputValue(i);
            if (value is null)
            {
                return null;
            }

            values[i - 1] = value.ToInt64Array();
        }

        var (starts, stops, steps) = (values[0], values[1], values[2]);
        var axes = values[3] ?? Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        Check(context, starts.Length == stops.Length && starts.Length == steps.Length && starts.Length == axes.Length,
            $"start, stop, step and axes have different lengths ({starts.Length}, {stops.Length}, {steps.Length}, {axes.Length})");
        var result = new List<(int, long, long, long)>();
        var seen = new HashSet<int>();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            Check(context, axis >= 0 && axis < rank, $"axis {axes[i]} is out of range for rank {rank}");
            Check(context, seen.Add((int)axis), $"axis {axes[i]} is listed twice");
            Check(context, steps[i] != 0, "step must not be zero");
            result.Add(((int)axis, starts[i], stops[i], steps[i]));
        }

        return result;
    }

    private static IEnumerable<int> SlicedAxesWhenUnknown(InferenceContext context, int rank)
    {
        if (context.InputCount > 4)
        {
            return context.InputValue(4) is { } axes
                ? ReduceOp.NormalizeAxes(context, axes, rank)
                : Enumerable.Range(0, rank);
        }

        var starts = context.InputShape(1);
        return starts.IsStatic ? Enumerable.Range(0, (int)Math.Min(starts[0].Length, rank)) : Enumerable.Range(0, rank);
    }

    private static void Check(InferenceContext? context, bool condition, string message) =>
        SlicingChecks.Require(context, "Slice", condition, message);
}

public static partial class MovementOps
{
    public static readonly OpDefinition Slice = new SliceOp();
}
