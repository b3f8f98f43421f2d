using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Ops that cut, split, repeat, pad or rearrange tensors: Slice, Split, Tile, Pad, DepthToSpace,
/// SpaceToDepth, Trilu, ReverseSequence.
/// </summary>
public static class SlicingTranslators
{
    /// <summary>Slice: opset 1 takes starts/ends/axes attributes, opset 10+ inputs (with steps); both become Slice-8.</summary>
    public static IReadOnlyList<Output> Slice(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        Output starts;
        Output ends;
        Output? axes;
        Output? steps;
        if (context.Opset < 10)
        {
            starts = b.Int64s(context.GetInts("starts") ?? throw context.Error("attribute 'starts' is required"));
            ends = b.Int64s(context.GetInts("ends") ?? throw context.Error("attribute 'ends' is required"));
            axes = context.GetInts("axes") is { } axisValues ? b.Int64s(axisValues) : null;
            steps = null;
        }
        else
        {
            starts = b.Convert(context.Input(1), ElementType.I64);
            ends = b.Convert(context.Input(2), ElementType.I64);
            axes = context.OptionalInput(3) is { } axisInput ? b.Convert(axisInput, ElementType.I64) : null;
            steps = context.OptionalInput(4) is { } stepInput ? b.Convert(stepInput, ElementType.I64) : null;
        }

        // Missing steps are ones, as many as there are starts.
        steps ??= starts.Shape.IsStatic
            ? b.Int64s(Enumerable.Repeat(1L, (int)starts.Shape[0].Length).ToArray())
            : b.Broadcast(b.Int64(1), b.ShapeOf(starts));
        Output[] inputs = axes is null ? [data, starts, ends, steps.Value] : [data, starts, ends, steps.Value, axes.Value];
        return [b.Make(MovementOps.Slice, inputs)];
    }

    /// <summary>
    /// Split: lengths from the <c>split</c> attribute (opset &lt; 13) or input (opset 1 and 13+) become
    /// VariadicSplit; without them the axis splits into equal parts, one per output. Opset 18's
    /// <c>num_outputs</c> allows a smaller last part.
    /// </summary>
    public static IReadOnlyList<Output> Split(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        Output? lengths = context.Opset >= 13 || context.Opset == 1 && !context.HasAttribute("split")
            ? context.OptionalInput(1)
            : context.GetInts("split") is { } values ? b.Int64s(values) : null;
        if (lengths is null && context.Opset >= 18)
        {
            var parts = context.GetInt("num_outputs", -1);
            if (parts != context.OutputCount)
            {
                throw context.Error($"num_outputs ({parts}) must be given and equal the number of outputs ({context.OutputCount}) when 'split' is absent");
            }

            lengths = ChunkLengths(context, data, axis, parts);
        }

        if (lengths is null)
        {
            return b.MakeMulti(MovementOps.Split, [data, b.Int64(axis)], ("num_splits", (long)context.OutputCount));
        }

        return b.MakeMulti(MovementOps.VariadicSplit, [data, b.Int64(axis), b.Convert(lengths.Value, ElementType.I64)]);
    }

    /// <summary>Tile: opset 6+ takes a repeats vector; opsets 1–5 repeat <c>tiles</c> times along one <c>axis</c>.</summary>
    public static IReadOnlyList<Output> Tile(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        if (context.Opset >= 6)
        {
            return [b.Make(MovementOps.Tile, [data, b.Convert(context.Input(1), ElementType.I64)])];
        }

        var axisValue = context.RequireConstantInput(2, "axis").GetInt64(0);
        if (!data.Shape.IsRankStatic)
        {
            throw context.Error("the input rank must be known");
        }

        var rank = data.Shape.Rank;
        var axis = axisValue < 0 ? axisValue + rank : axisValue;
        if (axis < 0 || axis >= rank)
        {
            throw context.Error($"axis {axisValue} is out of range for rank {rank}");
        }

        var tiles = b.Reshape(b.Convert(context.Input(1), ElementType.I64), 1);
        var repeats = b.Concat([b.Int64s(Enumerable.Repeat(1L, (int)axis).ToArray()), tiles, b.Int64s(Enumerable.Repeat(1L, rank - (int)axis - 1).ToArray())], 0);
        return [b.Make(MovementOps.Tile, [data, repeats])];
    }

    /// <summary>
    /// Pad: opset 1 (<c>paddings</c>) and 2–10 (<c>pads</c>) attributes, opset 11+ inputs, opset 18
    /// <c>axes</c>. Pads are [begin per axis…, end per axis…]. Modes constant, reflect and edge map to
    /// Pad-12; <c>wrap</c> (opset 19), which Pad-12 lacks, becomes one Gather per padded axis.
    /// </summary>
    public static IReadOnlyList<Output> Pad(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var mode = context.GetString("mode", "constant");
        Output pads;
        Output? value = null;
        if (context.Opset < 11)
        {
            var name = context.Opset < 2 ? "paddings" : "pads";
            pads = b.Int64s(context.GetInts(name) ?? throw context.Error($"attribute '{name}' is required"));
            value = b.Scalar(data.Type, context.GetFloat("value", 0));
        }
        else
        {
            pads = b.Convert(context.Input(1), ElementType.I64);
            if (context.OptionalInput(2) is { } constant)
            {
                value = constant.Shape.IsRankStatic && constant.Shape.Rank == 0 ? constant : b.Reshape(constant);
            }
        }

        var (begins, ends) = PadHalves(context, pads, data);
        return mode switch
        {
            "constant" => [b.Make(MovementOps.Pad, value is null ? [data, begins, ends] : [data, begins, ends, value.Value], ("pad_mode", "constant"))],
            "reflect" or "edge" => [b.Make(MovementOps.Pad, [data, begins, ends], ("pad_mode", mode))],
            "wrap" => [WrapPad(context, data, begins, ends)],
            _ => throw context.Error($"mode '{mode}' is not supported"),
        };
    }

    /// <summary>DepthToSpace: DCR (default) is OpenVINO's blocks_first, CRD its depth_first.</summary>
    public static IReadOnlyList<Output> DepthToSpace(OnnxNodeContext context)
    {
        var mode = context.GetString("mode", "DCR") switch
        {
            "DCR" => "blocks_first",
            "CRD" => "depth_first",
            var other => throw context.Error($"mode '{other}' is not DCR or CRD"),
        };
        return [context.Graph.Make(MovementOps.DepthToSpace, [context.Input(0)], ("block_size", context.GetInt("blocksize")), ("mode", mode))];
    }

    /// <summary>SpaceToDepth: ONNX orders the block offsets before the channels (blocks_first).</summary>
    public static IReadOnlyList<Output> SpaceToDepth(OnnxNodeContext context) =>
        [context.Graph.Make(MovementOps.SpaceToDepth, [context.Input(0)], ("block_size", context.GetInt("blocksize")), ("mode", "blocks_first"))];

    /// <summary>
    /// Trilu keeps the upper (lower) triangle of the last two axes: element (i, j) survives when
    /// j − i ≥ k (≤ k). The mask compares a column range with a row range shifted by k, then Select.
    /// </summary>
    public static IReadOnlyList<Output> Trilu(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        if (x.Shape.IsRankStatic && x.Shape.Rank < 2)
        {
            throw context.Error($"the input must have rank 2 or more, not {x.Shape.Rank}");
        }

        var k = context.OptionalInput(1) is { } given ? b.Reshape(b.Convert(given, ElementType.I64)) : b.Int64(0);
        var shape = b.ShapeOf(x);
        var rows = b.Gather(shape, b.Int64(-2), 0);
        var columns = b.Gather(shape, b.Int64(-1), 0);
        var columnRange = b.Unsqueeze(b.Make(GenerationOps.Range, [b.Int64(0), columns, b.Int64(1)], ("output_type", ElementType.I64)), 0);
        var rowRange = b.Unsqueeze(b.Make(GenerationOps.Range, [k, b.Add(rows, k), b.Int64(1)], ("output_type", ElementType.I64)), 1);
        var upper = context.GetInt("upper", 1) != 0;
        var mask = b.Make(upper ? ComparisonOps.GreaterEqual : ComparisonOps.LessEqual, [columnRange, rowRange]);
        return [b.Select(mask, x, b.Scalar(x.Type, 0))];
    }

    /// <summary>ReverseSequence: ONNX's time_axis is OpenVINO's seq_axis; defaults batch 1, time 0.</summary>
    public static IReadOnlyList<Output> ReverseSequence(OnnxNodeContext context) =>
    [
        context.Graph.Make(MovementOps.ReverseSequence, [context.Input(0), context.Input(1)],
            ("batch_axis", context.GetInt("batch_axis", 1)), ("seq_axis", context.GetInt("time_axis", 0))),
    ];

    /// <summary>Lengths of <paramref name="parts"/> chunks of ceil(d / parts), the last one taking the rest.</summary>
    private static Output ChunkLengths(OnnxNodeContext context, Output data, long axis, long parts)
    {
        var b = context.Graph;
        if (data.Shape.IsRankStatic && data.Shape[data.Shape.NormalizeAxis(axis)] is { IsStatic: true } dim)
        {
            var chunk = (dim.Length + parts - 1) / parts;
            var last = dim.Length - chunk * (parts - 1);
            if (last < 0)
            {
                throw context.Error($"a dimension of {dim.Length} cannot be split into {parts} chunks of {chunk}");
            }

            return b.Int64s([.. Enumerable.Repeat(chunk, (int)parts - 1), last]);
        }

        var length = b.Gather(b.ShapeOf(data), b.Int64s(axis), 0);
        var size = b.Divide(b.Add(length, b.Int64(parts - 1)), b.Int64(parts));
        return b.Concat([b.Broadcast(size, b.Int64s(parts - 1)), b.Int64s(-1)], 0);
    }

    /// <summary>
    /// The begin and end pad vectors (one entry per data axis) from ONNX pads [begins…, ends…];
    /// with opset 18 <c>axes</c>, the pads apply to those axes only and the others get 0.
    /// </summary>
    private static (Output Begins, Output Ends) PadHalves(OnnxNodeContext context, Output pads, Output data)
    {
        var b = context.Graph;
        var halves = b.MakeMulti(MovementOps.Split, [pads, b.Int64(0)], ("num_splits", 2L));
        if (context.Opset < 18 || !context.HasInput(3))
        {
            return (halves[0], halves[1]);
        }

        if (!data.Shape.IsRankStatic)
        {
            throw context.Error("padding selected axes needs an input of known rank");
        }

        var rank = data.Shape.Rank;
        var axes = context.RequireConstantInput(3, "axes").ToInt64Array().Select(a => a < 0 ? a + rank : a).ToList();
        if (axes.Any(a => a < 0 || a >= rank) || axes.Distinct().Count() != axes.Count)
        {
            throw context.Error($"axes [{string.Join(",", axes)}] must be distinct axes of a rank-{rank} input");
        }

        // Each axis picks its pad from the given ones, or the 0 appended after them.
        var picks = Enumerable.Range(0, rank).Select(axis => axes.Contains(axis) ? (long)axes.IndexOf(axis) : axes.Count).ToArray();
        Output Spread(Output half) => b.Gather(b.Concat([half, b.Int64s(0)], 0), b.Int64s(picks), 0);
        return (Spread(halves[0]), Spread(halves[1]));
    }

    /// <summary>
    /// Wrap padding: along each axis, output position i reads input position (i − begin) mod d,
    /// which is a Gather with indices FloorMod(Range(−begin, d + end), d). Pads must be constants.
    /// </summary>
    private static Output WrapPad(OnnxNodeContext context, Output data, Output begins, Output ends)
    {
        var b = context.Graph;
        var beginValues = OnnxNodeContext.ConstantValue(begins)?.ToInt64Array();
        var endValues = OnnxNodeContext.ConstantValue(ends)?.ToInt64Array();
        if (beginValues is null || endValues is null)
        {
            throw context.Error("wrap padding needs constant pads");
        }

        var result = data;
        for (var axis = 0; axis < beginValues.Length; axis++)
        {
            if (beginValues[axis] == 0 && endValues[axis] == 0)
            {
                continue;
            }

            var length = b.Gather(b.ShapeOf(data), b.Int64(axis), 0);
            var positions = b.Make(GenerationOps.Range, [b.Int64(-beginValues[axis]), b.Add(length, b.Int64(endValues[axis])), b.Int64(1)], ("output_type", ElementType.I64));
            result = b.Gather(result, b.Make(ArithmeticOps.FloorMod, [positions, length]), axis);
        }

        return result;
    }
}
