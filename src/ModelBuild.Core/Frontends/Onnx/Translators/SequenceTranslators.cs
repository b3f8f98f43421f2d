using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Sequence and optional ops. OpenVINO has no sequence or optional type, so these are resolved
/// while translating: a sequence is the list of its element tensors (see <see cref="OnnxSequence"/>),
/// which needs its length and every position used to be known at conversion time; only the
/// tensors taken out of it reach the OpenVINO graph.
/// </summary>
public static class SequenceTranslators
{
    public static IReadOnlyList<Output> SequenceEmpty(OnnxNodeContext context) => Sequence(context, []);

    public static IReadOnlyList<Output> SequenceConstruct(OnnxNodeContext context) => Sequence(context, context.PresentInputs());

    public static IReadOnlyList<Output> SequenceLength(OnnxNodeContext context) =>
        [context.Graph.Int64(context.InputSequence(0).Elements.Count)];

    public static IReadOnlyList<Output> SequenceAt(OnnxNodeContext context)
    {
        var elements = context.InputSequence(0).Elements;
        return [elements[Position(context, 1, elements.Count, elements.Count - 1)]];
    }

    /// <summary>SequenceInsert: at a position (negative counts from the end), by default at the end.</summary>
    public static IReadOnlyList<Output> SequenceInsert(OnnxNodeContext context)
    {
        var elements = context.InputSequence(0).Elements.ToList();
        var position = context.HasInput(2) ? Position(context, 2, elements.Count, elements.Count) : elements.Count;
        elements.Insert(position, context.Input(1));
        return Sequence(context, elements);
    }

    /// <summary>SequenceErase: at a position (negative counts from the end), by default the last element.</summary>
    public static IReadOnlyList<Output> SequenceErase(OnnxNodeContext context)
    {
        var elements = context.InputSequence(0).Elements.ToList();
        if (elements.Count == 0)
        {
            throw context.Error("the sequence is empty");
        }

        elements.RemoveAt(context.HasInput(1) ? Position(context, 1, elements.Count, elements.Count - 1) : elements.Count - 1);
        return Sequence(context, elements);
    }

    /// <summary>ConcatFromSequence: Concat of the elements along <c>axis</c>, or with <c>new_axis</c> = 1 stacked along a new axis.</summary>
    public static IReadOnlyList<Output> ConcatFromSequence(OnnxNodeContext context)
    {
        var b = context.Graph;
        var elements = context.InputSequence(0).Elements;
        if (elements.Count == 0)
        {
            throw context.Error("the sequence is empty, so the element shape is unknown");
        }

        var axis = context.GetInt("axis");
        if (context.GetInt("new_axis", 0) == 0)
        {
            return [b.Concat(elements, axis)];
        }

        var rank = elements[0].Shape.IsRankStatic ? elements[0].Shape.Rank : throw context.Error("new_axis needs elements of known rank");
        var newAxis = axis < 0 ? axis + rank + 1 : axis;
        return [b.Concat(elements.Select(e => b.Unsqueeze(e, newAxis)).ToList(), newAxis)];
    }

    /// <summary>
    /// SplitToSequence: without <c>split</c>, one element per index along the axis (keepdims=0 drops
    /// the axis); a scalar split gives chunks of that length (the last may be shorter); a 1-D split
    /// gives one chunk per entry, whose lengths may be computed at run time.
    /// </summary>
    public static IReadOnlyList<Output> SplitToSequence(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        if (!x.Shape.IsRankStatic)
        {
            throw context.Error("the input rank must be known");
        }

        var axis = ShapeMath.NormalizeAxis(context.GetInt("axis", 0), x.Shape.Rank);
        var length = x.Shape[axis];
        if (context.OptionalInput(1) is not { } split)
        {
            var count = length.IsStatic ? length.Length : throw context.Error($"axis {axis} has no static length, so the number of elements is unknown");
            var keepDims = context.GetInt("keepdims", 1) != 0;
            return Sequence(context, Enumerable.Range(0, UnrolledCount(context, count))
                .Select(i => b.Gather(x, keepDims ? b.Int64s(i) : b.Int64(i), axis)).ToList());
        }

        var splitShape = split.Shape;
        if (splitShape.IsRankStatic && splitShape.Rank == 0)
        {
            var chunk = context.RequireConstantInput(1, "a scalar split").GetInt64(0);
            var total = length.IsStatic ? length.Length : throw context.Error($"axis {axis} has no static length, so the number of chunks is unknown");
            if (chunk <= 0)
            {
                throw context.Error($"the split length {chunk} must be positive");
            }

            var starts = Enumerable.Range(0, UnrolledCount(context, (total + chunk - 1) / chunk)).Select(k => k * chunk);
            return Sequence(context, starts.Select(start => b.Gather(x, b.Int64Range(start, Math.Min(chunk, total - start)), axis)).ToList());
        }

        if (!splitShape.IsRankStatic || splitShape.Rank != 1 || !splitShape[0].IsStatic)
        {
            throw context.Error($"split has shape {splitShape.ToDisplayString()}; the number of chunks must be known");
        }

        // Chunk k covers [start_k, start_k + split[k]) with start_k the sum of the lengths before it.
        var lengths = b.Convert(split, ElementType.I64);
        var chunks = new List<Output>();
        var begin = b.Int64(0);
        var chunkCount = UnrolledCount(context, splitShape[0].Length);
        for (var k = 0; k < chunkCount; k++)
        {
            var end = b.Add(begin, b.Gather(lengths, b.Int64(k), 0));
            var indices = b.Make(GenerationOps.Range, [begin, end, b.Int64(1)], ("output_type", ElementType.I64));
            chunks.Add(b.Gather(x, indices, axis));
            begin = end;
        }

        return Sequence(context, chunks);
    }

    // Each element becomes nodes of the IR, and the count comes from a declared length.
    private static int UnrolledCount(OnnxNodeContext context, long count) =>
        count <= EvaluationBudget.OutputCountLimit
            ? (int)count
            : throw context.Error($"the sequence would have {count} elements; ModelBuild unrolls up to {EvaluationBudget.OutputCountLimit}");

    /// <summary>SequenceMap: the body runs once per element (inputs that are sequences give their k-th element, tensors themselves), unrolled.</summary>
    public static IReadOnlyList<Output> SequenceMap(OnnxNodeContext context)
    {
        var body = context.GetGraph("body") ?? throw context.Error("attribute 'body' is required");
        var count = context.InputSequence(0).Elements.Count;
        var inputs = Enumerable.Range(0, context.InputCount).Select(context.InputValue).ToList();
        var outputs = Enumerable.Range(0, body.Output.Count).Select(_ => new List<Output>()).ToList();
        for (var k = 0; k < count; k++)
        {
            var arguments = inputs.Select(input => input switch
            {
                OnnxSequence sequence when sequence.Elements.Count == count => new OnnxTensor(sequence.Elements[k]),
                OnnxSequence sequence => throw context.Error($"the sequences have {count} and {sequence.Elements.Count} elements"),
                OnnxTensor tensor => tensor,
                var other => throw context.Error($"an input is {other.Kind}, not a sequence or a tensor"),
            }).ToList<OnnxValue>();
            var results = context.TranslateInline(body, arguments);
            for (var i = 0; i < results.Count; i++)
            {
                outputs[i].Add(results[i] as OnnxTensor is { } tensor ? tensor.Value : throw context.Error($"body output {i} is {results[i].Kind}, not a tensor"));
            }
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            context.BindOutput(i, new OnnxSequence(outputs[i]));
        }

        return [];
    }

    /// <summary>Optional: wraps its input, or is empty when it has none.</summary>
    public static IReadOnlyList<Output> Optional(OnnxNodeContext context)
    {
        context.BindOutput(0, new OnnxOptional(context.HasInput(0) ? context.InputValue(0) : null));
        return [];
    }

    /// <summary>OptionalHasElement: known when converting. From opset 18 the input may also be a plain tensor or sequence (true) or absent (false).</summary>
    public static IReadOnlyList<Output> OptionalHasElement(OnnxNodeContext context)
    {
        var has = context.HasInput(0) && context.InputValue(0) is not OnnxOptional { Element: null };
        return [context.Graph.Constant(Tensor.FromArray([has], []))];
    }

    /// <summary>OptionalGetElement: the optional's value (an error if it is empty); from opset 18 a plain tensor or sequence passes through.</summary>
    public static IReadOnlyList<Output> OptionalGetElement(OnnxNodeContext context)
    {
        var value = context.InputValue(0) switch
        {
            OnnxOptional { Element: null } => throw context.Error("the optional is empty"),
            OnnxOptional optional => optional.Element,
            var other => other,
        };
        context.BindOutput(0, value);
        return [];
    }

    private static Output[] Sequence(OnnxNodeContext context, IReadOnlyList<Output> elements)
    {
        context.BindOutput(0, new OnnxSequence(elements));
        return [];
    }

    // A position input must be constant: the element it picks is chosen while converting. Negative
    // positions count from the end of the sequence's <paramref name="length"/> elements.
    private static int Position(OnnxNodeContext context, int input, int length, int last)
    {
        var position = context.RequireConstantInput(input, "the position").GetInt64(0);
        var normalized = position < 0 ? position + length : position;
        if (normalized < 0 || normalized > last)
        {
            throw context.Error($"position {position} is out of range for a sequence of {length} element(s)");
        }

        return (int)normalized;
    }
}
