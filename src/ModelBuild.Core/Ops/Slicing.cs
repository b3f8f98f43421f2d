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
        : base("Slice", 8, 4, 5)
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

/// <summary>Split-1: cuts <c>data</c> into <c>num_splits</c> equal parts along a constant scalar axis.</summary>
public sealed class SplitOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("num_splits")];

    public SplitOp()
        : base("Split", 1, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var parts = context.Attributes.GetInt("num_splits");
        context.Require(parts >= 1, $"num_splits must be positive, not {parts}");
        var data = context.InputShape(0);
        var axis = SplitAxis(context, data);
        for (var i = 0; i < parts; i++)
        {
            context.SetOutput(i, context.InputType(0), axis is null ? PartShape(data, null, Dimension.Dynamic) : PartShape(data, axis, Part(context, data[axis.Value], parts)));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank);
        var parts = context.Attributes.GetInt("num_splits");
        return SplitAlong(data, axis, Enumerable.Repeat(data.Shape[axis] / parts, (int)parts).ToArray());
    }

    /// <summary>The normalized constant split axis, or null when it or the data rank is unknown.</summary>
    internal static int? SplitAxis(InferenceContext context, PartialShape data)
    {
        var shape = context.InputShape(1);
        context.Require(!shape.IsRankStatic || shape.Rank == 0 || shape.IsStatic && shape.ElementCount() == Dimension.Of(1), "axis must be a scalar");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "axis must be an integer");
        var value = context.InputValue(1);
        return value is null || !data.IsRankStatic ? null : SqueezeOp.NormalizeAxis(context, value.GetInt64(0), data.Rank);
    }

    /// <summary>The data shape with the split axis set to <paramref name="dim"/> (all dims unknown when the axis is).</summary>
    internal static PartialShape PartShape(PartialShape data, int? axis, Dimension dim)
    {
        if (!data.IsRankStatic)
        {
            return PartialShape.DynamicRank;
        }

        return axis is null
            ? PartialShape.DynamicOfRank(data.Rank)
            : PartialShape.Of(data.Select((d, i) => i == axis ? dim : d));
    }

    /// <summary>Cuts <paramref name="data"/> into consecutive parts of the given lengths along <paramref name="axis"/>.</summary>
    internal static Tensor[] SplitAlong(Tensor data, int axis, long[] lengths)
    {
        var strides = ShapeMath.Strides(data.Shape);
        var parts = new Tensor[lengths.Length];
        long start = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var shape = (long[])data.Shape.Clone();
            shape[axis] = lengths[i];
            parts[i] = data.Remap(shape, IndexMaps.Strided(shape, strides, start * strides[axis]));
            start += lengths[i];
        }

        return parts;
    }

    private static Dimension Part(InferenceContext context, Dimension dim, long parts)
    {
        if (!dim.IsStatic)
        {
            return dim.FloorDivide(parts);
        }

        context.Require(dim.Length % parts == 0, $"dimension {dim.Length} does not split into {parts} equal parts");
        return dim.Length / parts;
    }
}

/// <summary>VariadicSplit-1: cuts <c>data</c> along an axis into parts of the given lengths; one length may be -1 (the rest).</summary>
public sealed class VariadicSplitOp : OpDefinition
{
    public VariadicSplitOp()
        : base("VariadicSplit", 1, 3, 3)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var lengthsShape = context.InputShape(2);
        context.Require(lengthsShape.IsStatic && lengthsShape.Rank == 1, $"split_lengths must be 1-D of a known length, not {lengthsShape.ToDisplayString()}");
        context.Require(context.InputType(2).IsInteger() || context.InputType(2) == ElementType.Dynamic, "split_lengths must be integers");
        var count = (int)lengthsShape[0].Length;
        var data = context.InputShape(0);
        var axis = SplitOp.SplitAxis(context, data);
        var lengths = context.InputValue(2);
        var dims = axis is not null && lengths is not null
            ? Resolve(context, lengths.ToInt64Array(), data[axis.Value]).Select(Dimension.Of).ToArray()
            : Enumerable.Repeat(axis is null ? Dimension.Dynamic : new Dimension(0, data[axis.Value].Max), count).ToArray();
        for (var i = 0; i < count; i++)
        {
            context.SetOutput(i, context.InputType(0), SplitOp.PartShape(data, axis, dims[i]));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank);
        return SplitOp.SplitAlong(data, axis, Resolve(null, context.Input(2).ToInt64Array(), data.Shape[axis]));
    }

    /// <summary>The lengths with -1 resolved; throws when they do not add up to the dim.</summary>
    private static long[] Resolve(InferenceContext? context, long[] lengths, Dimension dim)
    {
        var rest = Array.IndexOf(lengths, -1L);
        var known = lengths.Where(l => l != -1).ToArray();
        Check(context, known.All(l => l >= 0) && lengths.Count(l => l == -1) <= 1, $"split_lengths [{string.Join(",", lengths)}] may hold non-negative lengths and at most one -1");
        if (!dim.IsStatic)
        {
            Check(context, rest < 0, "a -1 split length needs a static dimension");
            return lengths;
        }

        var sum = known.Sum();
        var result = (long[])lengths.Clone();
        if (rest >= 0)
        {
            Check(context, sum <= dim.Length, $"split_lengths [{string.Join(",", lengths)}] exceed the dimension {dim.Length}");
            result[rest] = dim.Length - sum;
        }
        else
        {
            Check(context, sum == dim.Length, $"split_lengths [{string.Join(",", lengths)}] do not add up to the dimension {dim.Length}");
        }

        return result;
    }

    private static void Check(InferenceContext? context, bool condition, string message) =>
        SlicingChecks.Require(context, "VariadicSplit", condition, message);
}

/// <summary>Checks shared by inference (with a context) and evaluation (without one) of value-dependent ops.</summary>
internal static class SlicingChecks
{
    public static void Require(InferenceContext? context, string op, bool condition, string message)
    {
        if (!condition)
        {
            throw context?.Error(message) ?? new InferenceException($"{op}: {message}");
        }
    }
}

/// <summary>Tile-1: repeats <c>data</c> <c>repeats[i]</c> times along each axis; the shorter of the two is padded with leading 1s.</summary>
public sealed class TileOp : OpDefinition
{
    public TileOp()
        : base("Tile", 1, 2, 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "repeats must be integers");
        var data = context.InputShape(0);
        var repeatsShape = context.InputShape(1);
        context.Require(!repeatsShape.IsRankStatic || repeatsShape.Rank == 1, "repeats must be 1-D");
        if (context.InputValue(1) is { } constant)
        {
            context.Require(constant.ToInt64Array().All(r => r >= 0), $"repeats [{string.Join(",", constant.ToInt64Array())}] must not be negative");
        }

        if (!data.IsRankStatic || !repeatsShape.IsStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var repeats = context.InputAsShape(1) ?? PartialShape.DynamicOfRank((int)repeatsShape[0].Length);
        var rank = Math.Max(data.Rank, repeats.Rank);
        var dims = new Dimension[rank];
        for (var i = 0; i < rank; i++)
        {
            var d = i < rank - data.Rank ? Dimension.Of(1) : data[i - (rank - data.Rank)];
            var r = i < rank - repeats.Rank ? Dimension.Of(1) : repeats[i - (rank - repeats.Rank)];
            dims[i] = d * r;
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var source = new long[shape.Length];
        Array.Fill(source, 1L);
        data.Shape.CopyTo(source, shape.Length - data.Rank);
        var coordinates = shape.Select((length, axis) => Enumerable.Range(0, (int)length).Select(i => i % source[axis]).ToArray()).ToArray();
        return [data.Remap(shape, IndexMaps.AxisWise(shape, coordinates, source))];
    }
}

/// <summary>
/// Pad-1 and Pad-12: adds (or, from version 12, when negative, removes) <c>pads_begin</c>/<c>pads_end</c> elements on each axis,
/// filled by <c>pad_mode</c>: <c>constant</c> (the <c>pad_value</c> input, default 0), <c>edge</c>,
/// <c>reflect</c> (edges not repeated) or <c>symmetric</c> (edges repeated).
/// </summary>
public sealed class PadOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("pad_mode")];

    public PadOp(int version)
        : base("Pad", version, 3, 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var mode = context.Attributes.GetString("pad_mode");
        context.Require(mode is "constant" or "edge" or "reflect" or "symmetric", $"pad_mode '{mode}' is not one of constant, edge, reflect, symmetric");
        var type = context.InputType(0);
        if (context.InputCount > 3)
        {
            context.Require(mode == "constant", "pad_value is only allowed with pad_mode constant");
            context.Require(context.InputType(3) == type || context.InputType(3) == ElementType.Dynamic || type == ElementType.Dynamic,
                $"pad_value is {context.InputType(3).IrName()}, data is {type.IrName()}");
            context.Require(!context.InputShape(3).IsRankStatic || context.InputShape(3).Rank == 0, "pad_value must be a scalar");
        }

        var data = context.InputShape(0);
        for (var i = 1; i <= 2; i++)
        {
            var shape = context.InputShape(i);
            context.Require(context.InputType(i).IsInteger() || context.InputType(i) == ElementType.Dynamic, $"input {i} must be integers");
            context.Require(!shape.IsRankStatic || shape.Rank == 1, $"input {i} must be 1-D");
            context.Require(!data.IsRankStatic || !shape.IsStatic || shape[0].Length == data.Rank,
                $"input {i} has {(shape.IsStatic ? shape[0].Length : 0)} values, data has rank {(data.IsRankStatic ? data.Rank : 0)}");
        }

        var begins = context.InputValue(1)?.ToInt64Array();
        var ends = context.InputValue(2)?.ToInt64Array();
        context.Require(Version >= 12 || !(begins ?? []).Concat(ends ?? []).Any(p => p < 0), "Pad-1 takes no negative pads");
        if (!data.IsRankStatic || begins is null || ends is null)
        {
            context.SetOutput(0, type, data.IsRankStatic ? PartialShape.DynamicOfRank(data.Rank) : PartialShape.DynamicRank);
            return;
        }

        var dims = new Dimension[data.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            var dim = data[axis];
            if (dim.IsStatic && mode is "reflect" or "symmetric")
            {
                var limit = mode == "reflect" ? dim.Length - 1 : dim.Length;
                context.Require(begins[axis] <= limit && ends[axis] <= limit,
                    $"{mode} padding of {begins[axis]}/{ends[axis]} on axis {axis} exceeds {limit} for a dimension of {dim.Length}");
            }

            context.Require(mode == "constant" || !dim.IsStatic || dim.Length > 0 || begins[axis] <= 0 && ends[axis] <= 0,
                $"{mode} padding needs a non-empty axis {axis}");
            var total = begins[axis] + ends[axis];
            dims[axis] = total >= 0 ? dim + Dimension.Of(total) : dim - Dimension.Of(-total);
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var begins = context.Input(1).ToInt64Array();
        var mode = context.Attributes.GetString("pad_mode");
        var coordinates = new long[shape.Length][];
        for (var axis = 0; axis < shape.Length; axis++)
        {
            var length = data.Shape[axis];
            coordinates[axis] = new long[shape[axis]];
            for (long i = 0; i < shape[axis]; i++)
            {
                coordinates[axis][i] = SourceIndex(mode, i - begins[axis], length);
            }
        }

        var map = IndexMaps.AxisWise(shape, coordinates, data.Shape);
        if (mode != "constant")
        {
            return [data.Remap(shape, map)];
        }

        // Padding reads one extra element appended after the data: the pad value.
        var fill = context.InputCount > 3 ? context.Input(3) : Tensor.Zeros(data.Type);
        var extended = Tensor.ConcatenateFlat(data.Type, [data.ElementCount + 1], [data, fill]);
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0)
            {
                map[i] = (int)data.ElementCount;
            }
        }

        return [extended.Remap(shape, map)];
    }

    /// <summary>The source index along an axis of <paramref name="length"/> for position <paramref name="index"/> (may be outside), -1 for a constant pad.</summary>
    private static long SourceIndex(string mode, long index, long length)
    {
        if (index >= 0 && index < length)
        {
            return index;
        }

        switch (mode)
        {
            case "edge":
                return Math.Clamp(index, 0, length - 1);
            case "reflect":
            {
                var period = 2 * (length - 1);
                if (period == 0)
                {
                    return 0;
                }

                var folded = ((index % period) + period) % period;
                return folded < length ? folded : period - folded;
            }

            case "symmetric":
            {
                var period = 2 * length;
                var folded = ((index % period) + period) % period;
                return folded < length ? folded : period - 1 - folded;
            }

            default:
                return -1;
        }
    }
}

/// <summary>
/// DepthToSpace-1 and SpaceToDepth-1: move <c>block_size</c>^k blocks between the channel axis and
/// the k spatial axes of an [N, C, D1, …, Dk] tensor. <c>blocks_first</c> puts the block offsets in
/// front of the channels (ONNX DCR), <c>depth_first</c> after them (ONNX CRD).
/// </summary>
public sealed class SpaceDepthOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("block_size", 1), AttributeSpec.String("mode")];
    private readonly bool _toSpace;

    public SpaceDepthOp(bool toSpace)
        : base(toSpace ? "DepthToSpace" : "SpaceToDepth", 1, 1, 1) => _toSpace = toSpace;

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var block = context.Attributes.GetInt("block_size");
        var mode = context.Attributes.GetString("mode");
        context.Require(block >= 1, $"block_size must be positive, not {block}");
        context.Require(mode is "blocks_first" or "depth_first", $"mode '{mode}' is not blocks_first or depth_first");
        var data = context.InputShape(0);
        if (!data.IsRankStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        context.Require(data.Rank >= 3, $"data must have rank 3 or more, not {data.Rank}");
        var spatial = data.Rank - 2;
        var blockVolume = (long)Math.Pow(block, spatial);
        var dims = data.ToArray();
        if (_toSpace)
        {
            context.Require(!dims[1].IsStatic || dims[1].Length % blockVolume == 0, $"channels {dims[1]} are not divisible by block_size^{spatial} = {blockVolume}");
            dims[1] = dims[1].IsStatic ? dims[1].Length / blockVolume : dims[1].FloorDivide(blockVolume);
            for (var i = 2; i < dims.Length; i++)
            {
                dims[i] *= block;
            }
        }
        else
        {
            for (var i = 2; i < dims.Length; i++)
            {
                context.Require(!dims[i].IsStatic || dims[i].Length % block == 0, $"spatial dimension {dims[i]} is not divisible by block_size {block}");
                dims[i] = dims[i].IsStatic ? dims[i].Length / block : dims[i].FloorDivide(block);
            }

            dims[1] *= blockVolume;
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var block = context.Attributes.GetInt("block_size");
        var blocksFirst = context.Attributes.GetString("mode") == "blocks_first";
        var spatial = data.Rank - 2;

        // Both ops are a reshape to a rank 2 + 2k view, a transpose, and a reshape to the output.
        long[] view;
        int[] order;
        if (_toSpace)
        {
            var channels = shape[1];
            var blocks = Enumerable.Repeat(block, spatial);
            view = [data.Shape[0], .. blocksFirst ? blocks.Append(channels) : blocks.Prepend(channels), .. data.Shape.Skip(2)];

            // Output view [N, C', D1, b, D2, b, ...].
            var channelAxis = blocksFirst ? spatial + 1 : 1;
            var firstBlockAxis = blocksFirst ? 1 : 2;
            order = [0, channelAxis, .. Enumerable.Range(0, spatial).SelectMany(k => new[] { spatial + 2 + k, firstBlockAxis + k })];
        }
        else
        {
            view = [data.Shape[0], data.Shape[1], .. data.Shape.Skip(2).SelectMany(d => new[] { d / block, block })];
            var blockAxes = Enumerable.Range(0, spatial).Select(k => 3 + 2 * k);
            var spatialAxes = Enumerable.Range(0, spatial).Select(k => 2 + 2 * k);
            order = [0, .. blocksFirst ? blockAxes.Append(1) : blockAxes.Prepend(1), .. spatialAxes];
        }

        var map = IndexMaps.Transpose(view, order, out _);
        return [data.Remap(shape, map)];
    }
}

/// <summary>ReverseSequence-1: for each index b on <c>batch_axis</c>, reverses the first <c>seq_lengths[b]</c> elements along <c>seq_axis</c>.</summary>
public sealed class ReverseSequenceOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_axis", 0), AttributeSpec.Int("seq_axis", 1)];

    public ReverseSequenceOp()
        : base("ReverseSequence", 1, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var lengths = context.InputShape(1);
        context.Require(context.InputType(1).IsNumeric() || context.InputType(1) == ElementType.Dynamic, "seq_lengths must be numbers");
        context.Require(!lengths.IsRankStatic || lengths.Rank == 1, "seq_lengths must be 1-D");
        if (data.IsRankStatic)
        {
            context.Require(data.Rank >= 2, "data must have rank 2 or more");
            var batchAxis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("batch_axis"), data.Rank);
            SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("seq_axis"), data.Rank);
            context.Require(!lengths.IsRankStatic || data[batchAxis].IsCompatible(lengths[0]),
                $"seq_lengths has {lengths[0]} values, the batch axis has {data[batchAxis]}");
        }

        context.SetOutput(0, context.InputType(0), data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var lengths = context.Input(1).ToInt64Array();
        var batchAxis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("batch_axis"), data.Rank);
        var seqAxis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("seq_axis"), data.Rank);
        var strides = ShapeMath.Strides(data.Shape);
        var map = new int[data.ElementCount];
        var index = new long[data.Rank];
        for (var n = 0; n < map.Length; n++)
        {
            var length = lengths[index[batchAxis]];
            if (length < 0 || length > data.Shape[seqAxis])
            {
                throw context.Error($"sequence length {length} is outside [0, {data.Shape[seqAxis]}]");
            }

            var position = index[seqAxis];
            map[n] = (int)(n + (position < length ? length - 1 - 2 * position : 0) * strides[seqAxis]);
            for (var axis = data.Rank - 1; axis >= 0 && ++index[axis] == data.Shape[axis]; axis--)
            {
                index[axis] = 0;
            }
        }

        return [data.Remap(data.Shape, map)];
    }
}

/// <summary>Slicing, splitting, tiling, padding and block rearrangement ops.</summary>
public static class SlicingOps
{
    public static readonly OpDefinition Slice = new SliceOp();
    public static readonly OpDefinition Split = new SplitOp();
    public static readonly OpDefinition VariadicSplit = new VariadicSplitOp();
    public static readonly OpDefinition Tile = new TileOp();
    public static readonly OpDefinition Pad = new PadOp(12);
    public static readonly OpDefinition PadV1 = new PadOp(1);
    public static readonly OpDefinition DepthToSpace = new SpaceDepthOp(toSpace: true);
    public static readonly OpDefinition SpaceToDepth = new SpaceDepthOp(toSpace: false);
    public static readonly OpDefinition ReverseSequence = new ReverseSequenceOp();
}
