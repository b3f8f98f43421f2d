using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Ops that cut, split, repeat, pad or rearrange tensors: Slice, Split, Tile, Pad, DepthToSpace,
/// SpaceToDepth, Trilu, ReverseSequence.
/// </summary>
public static class SlicingTranslators
{
    /// <summary>Slice-1: starts, ends and axes are attributes; it becomes Slice-8 with unit steps.</summary>
    public static IReadOnlyList<Output> SliceV1(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var starts = b.Int64s(context.GetInts("starts") ?? throw context.Error("attribute 'starts' is required"));
        var ends = b.Int64s(context.GetInts("ends") ?? throw context.Error("attribute 'ends' is required"));
        var axes = context.GetInts("axes") is { } axisValues ? b.Int64s(axisValues) : (Output?)null;
        return [Slice(b, data, starts, ends, axes, steps: null)];
    }

    /// <summary>Slice-10 and later: starts, ends and the optional axes and steps are inputs.</summary>
    public static IReadOnlyList<Output> SliceV10(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var starts = b.Convert(context.Input(1), ElementType.I64);
        var ends = b.Convert(context.Input(2), ElementType.I64);
        var axes = context.OptionalInput(3) is { } axisInput ? b.Convert(axisInput, ElementType.I64) : (Output?)null;
        var steps = context.OptionalInput(4) is { } stepInput ? b.Convert(stepInput, ElementType.I64) : (Output?)null;
        return [Slice(b, data, StartsBeforeTheBeginning(b, data, starts, axes, steps), ends, axes, steps)];
    }

    /// <summary>
    /// With a negative step, ONNX clamps a start before the beginning (start &lt; -dim) to the first element and takes it;
    /// Slice-8 follows Python, where such a start selects nothing. Known starts and steps on static dims are raised to
    /// -dim, which both read as the first element.
    /// </summary>
    private static Output StartsBeforeTheBeginning(GraphBuilder b, Output data, Output starts, Output? axes, Output? steps)
    {
        var axisValues = axes is null ? null : OnnxNodeContext.ConstantValue(axes.Value)?.ToInt64Array();
        if (steps is null || !data.Shape.IsRankStatic || (axes is not null && axisValues is null)
            || OnnxNodeContext.ConstantValue(starts) is not { } startValues || OnnxNodeContext.ConstantValue(steps.Value) is not { } stepValues)
        {
            return starts;
        }

        var rank = data.Shape.Rank;
        var values = startValues.ToInt64Array();
        var stepArray = stepValues.ToInt64Array();
        var changed = false;
        for (var i = 0; i < values.Length && i < stepArray.Length; i++)
        {
            var axis = axisValues is null ? i : axisValues[i] < 0 ? axisValues[i] + rank : axisValues[i];
            if (axis >= 0 && axis < rank && data.Shape[(int)axis] is { IsStatic: true } dim && stepArray[i] < 0 && values[i] < -dim.Length)
            {
                values[i] = -dim.Length;
                changed = true;
            }
        }

        return changed ? b.Int64s(values) : starts;
    }

    /// <summary>Split-1: lengths from the <c>split</c> attribute or, without it, the optional second input.</summary>
    public static IReadOnlyList<Output> SplitV1(OnnxNodeContext context)
    {
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        var lengths = context.HasAttribute("split") ? SplitAttribute(context) : context.OptionalInput(1);
        return Split(context, data, axis, lengths);
    }

    /// <summary>Split-2 and 11: lengths from the optional <c>split</c> attribute.</summary>
    public static IReadOnlyList<Output> SplitV2(OnnxNodeContext context)
    {
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        return Split(context, data, axis, SplitAttribute(context));
    }

    /// <summary>Split-13: lengths from the optional <c>split</c> input.</summary>
    public static IReadOnlyList<Output> SplitV13(OnnxNodeContext context)
    {
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        return Split(context, data, axis, context.OptionalInput(1));
    }

    /// <summary>
    /// Split-18 and later: lengths from the optional <c>split</c> input or, without it,
    /// <c>num_outputs</c> chunks of ceil(d / num_outputs), the last one smaller.
    /// </summary>
    public static IReadOnlyList<Output> SplitV18(OnnxNodeContext context)
    {
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        var lengths = context.OptionalInput(1);
        if (lengths is null)
        {
            var parts = context.GetInt("num_outputs", -1);
            if (parts != context.OutputCount)
            {
                throw context.Error($"num_outputs ({parts}) must be given and equal the number of outputs ({context.OutputCount}) when 'split' is absent");
            }

            lengths = ChunkLengths(context, data, axis, parts);
        }

        return Split(context, data, axis, lengths);
    }

    /// <summary>Tile-1: repeats <c>tiles</c> times along one <c>axis</c> (both inputs).</summary>
    public static IReadOnlyList<Output> TileV1(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
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

    /// <summary>Tile-6 and later: a repeats vector, as OpenVINO's Tile.</summary>
    public static IReadOnlyList<Output> TileV6(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        return [b.Make(MovementOps.Tile, [data, b.Convert(context.Input(1), ElementType.I64)])];
    }

    /// <summary>Pad-1: the <c>paddings</c> and <c>value</c> attributes.</summary>
    public static IReadOnlyList<Output> PadV1(OnnxNodeContext context) => PadByAttributes(context, "paddings");

    /// <summary>Pad-2: the <c>pads</c> and <c>value</c> attributes.</summary>
    public static IReadOnlyList<Output> PadV2(OnnxNodeContext context) => PadByAttributes(context, "pads");

    /// <summary>Pad-11 and 13: pads and the optional constant value are inputs.</summary>
    public static IReadOnlyList<Output> PadV11(OnnxNodeContext context)
    {
        var (data, mode, pads, value) = PadInputs(context);
        var (begins, ends) = PadHalves(context.Graph, pads);
        return Pad(context, data, mode, begins, ends, value);
    }

    /// <summary>Pad-18 and later: the optional <c>axes</c> input names the axes the pads apply to (others get 0).</summary>
    public static IReadOnlyList<Output> PadV18(OnnxNodeContext context)
    {
        var (data, mode, pads, value) = PadInputs(context);
        var (begins, ends) = PadHalvesOfAxes(context, pads, data);
        return Pad(context, data, mode, begins, ends, value);
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

    /// <summary>Slice-8, with unit steps (as many as starts) where none are given.</summary>
    private static Output Slice(GraphBuilder b, Output data, Output starts, Output ends, Output? axes, Output? steps)
    {
        // Unit steps as a constant when there are few (a declared length may be anything), else computed at run time.
        steps ??= starts.Shape.IsStatic && EvaluationBudget.IsSmallValue(ElementType.I64, starts.Shape.ElementCount().Max)
            ? b.Int64s(Enumerable.Repeat(1L, (int)starts.Shape[0].Length).ToArray())
            : b.Broadcast(b.Int64(1), b.ShapeOf(starts));
        Output[] inputs = axes is null ? [data, starts, ends, steps.Value] : [data, starts, ends, steps.Value, axes.Value];
        return b.Make(MovementOps.Slice, inputs);
    }

    /// <summary>The lengths of the <c>split</c> attribute, or null without it.</summary>
    private static Output? SplitAttribute(OnnxNodeContext context) =>
        context.GetInts("split") is { } values ? context.Graph.Int64s(values) : null;

    /// <summary>VariadicSplit by <paramref name="lengths"/>; without them, equal parts, one per output (Split).</summary>
    private static Output[] Split(OnnxNodeContext context, Output data, long axis, Output? lengths)
    {
        var b = context.Graph;
        if (lengths is null)
        {
            return b.MakeMulti(MovementOps.Split, [data, b.Int64(axis)], ("num_splits", (long)context.OutputCount));
        }

        return b.MakeMulti(MovementOps.VariadicSplit, [data, b.Int64(axis), b.Convert(lengths.Value, ElementType.I64)]);
    }

    /// <summary>Lengths of <paramref name="parts"/> chunks of ceil(d / parts), the last one taking the rest.</summary>
    private static Output ChunkLengths(OnnxNodeContext context, Output data, long axis, long parts)
    {
        if (parts > EvaluationBudget.OutputCountLimit)
        {
            throw context.Error($"num_outputs {parts} exceeds the {EvaluationBudget.OutputCountLimit} outputs a node may have");
        }

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

    /// <summary>Pad-1 and 2: pads [begin per axis…, end per axis…] and the constant value are attributes.</summary>
    private static IReadOnlyList<Output> PadByAttributes(OnnxNodeContext context, string padsName)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var mode = context.GetString("mode", "constant");
        var pads = b.Int64s(context.GetInts(padsName) ?? throw context.Error($"attribute '{padsName}' is required"));
        var value = b.Scalar(data.Type, context.GetFloat("value", 0));
        var (begins, ends) = PadHalves(b, pads);
        return Pad(context, data, mode, begins, ends, value);
    }

    /// <summary>Pad-11 and later: the data, mode, pads input and the optional constant value input (as a scalar).</summary>
    private static (Output Data, string Mode, Output Pads, Output? Value) PadInputs(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var mode = context.GetString("mode", "constant");
        var pads = b.Convert(context.Input(1), ElementType.I64);
        Output? value = null;
        if (context.OptionalInput(2) is { } constant)
        {
            value = constant.Shape.IsRankStatic && constant.Shape.Rank == 0 ? constant : b.Reshape(constant);
        }

        return (data, mode, pads, value);
    }

    /// <summary>
    /// Pad-12 for modes constant, reflect and edge; <c>wrap</c> (opset 19), which Pad-12 lacks,
    /// becomes one Gather per padded axis.
    /// </summary>
    private static IReadOnlyList<Output> Pad(OnnxNodeContext context, Output data, string mode, Output begins, Output ends, Output? value)
    {
        var b = context.Graph;
        return mode switch
        {
            "constant" => [b.Make(MovementOps.Pad, value is null ? [data, begins, ends] : [data, begins, ends, value.Value], ("pad_mode", "constant"))],
            "reflect" or "edge" => [b.Make(MovementOps.Pad, [data, begins, ends], ("pad_mode", mode))],
            "wrap" => [WrapPad(context, data, begins, ends)],
            _ => throw context.Error($"mode '{mode}' is not supported"),
        };
    }

    /// <summary>The begin and end pad vectors (one entry per data axis) from ONNX pads [begins…, ends…].</summary>
    private static (Output Begins, Output Ends) PadHalves(GraphBuilder b, Output pads)
    {
        var halves = b.MakeMulti(MovementOps.Split, [pads, b.Int64(0)], ("num_splits", 2L));
        return (halves[0], halves[1]);
    }

    /// <summary>
    /// The begin and end pad vectors with opset 18's optional <c>axes</c> input: the pads apply to
    /// those axes only and the others get 0.
    /// </summary>
    private static (Output Begins, Output Ends) PadHalvesOfAxes(OnnxNodeContext context, Output pads, Output data)
    {
        var b = context.Graph;
        var (begins, ends) = PadHalves(b, pads);
        if (!context.HasInput(3))
        {
            return (begins, ends);
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
        return (Spread(begins), Spread(ends));
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
