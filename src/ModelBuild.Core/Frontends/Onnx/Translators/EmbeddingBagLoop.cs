using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Recognizes the Loop PyTorch's exporter writes for <c>nn.EmbeddingBag</c> without the ATen fallback
/// (opsets 10 on) and translates it to EmbeddingBagOffsetsSum-3, so OpenVINO sums all bags in one op
/// instead of running one body per bag. The exporter's form, matched exactly (anything else stays a Loop):
/// <code>
/// ext    = Concat(offsets, Unsqueeze(Gather(Shape(indices), 0), [0]))   (include_last_offset: ext = offsets)
/// starts = ext, or Slice(ext, [0], [INT64_MAX], [0], [1])
/// ends   = Slice(ext, [1], [INT64_MAX], [0], [1])
/// Loop(Gather(Shape(ends), 0), true) body (i, cond):
///   s = Unsqueeze(Gather(starts, i), [0]);  e = Unsqueeze(Gather(ends, i), [0])
///   rows = Gather(table, Slice(indices, s, e, [0]))
///   [rows = Mul(rows, Unsqueeze(Slice(per_sample_weights, s, e, [0]), [1]))]
///   → Cast(true, to=BOOL), ReduceSum | ReduceMean(rows, axes=[0], keepdims=0)
/// </code>
/// The table must be 2-D and the indices 1-D, as nn.EmbeddingBag's are. Mean is the sum divided by the
/// bag's length, and an empty bag gives 0, as in PyTorch (the Loop's ReduceMean of no rows would give NaN).
/// Indices and offsets are taken as PyTorch requires them (indices within the table, offsets starting at 0 and
/// non-decreasing, the last one equal to the number of indices with include_last_offset); within that contract
/// the op and the Loop agree exactly. Per-sample weights must be 1-D and of the table's type, as PyTorch's are.
/// </summary>
internal static class EmbeddingBagLoop
{
    private const long ToTheEnd = long.MaxValue;

    /// <summary>The EmbeddingBag the Loop computes, or null when the Loop is not exactly the exporter's pattern.</summary>
    public static Output? TryTranslate(OnnxNodeContext context, GraphProto body)
    {
        var loop = context.Node;
        if (loop.Input.Count != 2 || loop.Output.Count != 1 || body.Input.Count != 2 || body.Output.Count != 2 || body.Initializer.Count > 0
            || !IsTrue(context.TensorNamed(loop.Input[1])))
        {
            return null;
        }

        var pattern = new BodyPattern(context, body);
        if (pattern.Match() is not { } bag || !pattern.IsWholeBody())
        {
            return null;
        }

        // The trip count is the number of bags: the length of the ends.
        if (context.ProducerOf(loop.Input[0]) is not { } count || !IsLengthOf(context, count, bag.Ends))
        {
            return null;
        }

        if (context.ProducerOf(bag.Ends) is not { } ends || !IsSliceToTheEnd(context, ends, from: 1))
        {
            return null;
        }

        var extended = ends.Input[0];
        if (bag.Starts != extended
            && (context.ProducerOf(bag.Starts) is not { } starts || !IsSliceToTheEnd(context, starts, from: 0) || starts.Input[0] != extended))
        {
            return null;
        }

        return Translate(context, bag, extended);
    }

    private static Output? Translate(OnnxNodeContext context, BagPattern bag, string extended)
    {
        var b = context.Graph;
        if (context.TensorNamed(bag.Table) is not { } table || context.TensorNamed(bag.Indices) is not { } indices
            || context.TensorNamed(bag.Ends) is not { } ends || context.TensorNamed(extended) is not { } extendedOffsets)
        {
            return null;
        }

        var weights = bag.Weights is null ? null : context.TensorNamed(bag.Weights);
        if (!HasRank(table, 2) || !HasRank(indices, 1) || !HasRank(extendedOffsets, 1)
            || indices.Type is not (ElementType.I32 or ElementType.I64) || (bag.Mean && !table.Type.IsFloatingPoint())
            || (bag.Weights is not null && (weights is not { } w || !HasRank(w, 1) || w.Type != table.Type)))
        {
            return null;
        }

        // Without include_last_offset the exporter appended the number of indices to the offsets; with it,
        // the offsets already end with it, and the last entry only closes the last bag.
        var offsets = LengthAppended(context, extended, bag.Indices) is { } given
            ? context.TensorNamed(given)
            : EmbeddingTranslators.DropLastOffset(b, extendedOffsets);
        if (offsets is null)
        {
            return null;
        }

        var sums = EmbeddingTranslators.OffsetsSum(b, table, tableRank: 2, indices, offsets.Value, weights);
        if (!bag.Mean)
        {
            return sums;
        }

        var lengths = b.Convert(b.Subtract(ends, b.Convert(offsets.Value, ends.Type)), table.Type);
        var divisors = b.Make(ArithmeticOps.Maximum, [lengths, b.ScalarLike(lengths, 1)]);
        return b.Divide(sums, b.Unsqueeze(divisors, 1));
    }

    // The offsets before Concat(offsets, Unsqueeze(Gather(Shape(indices), 0), [0])), else null.
    private static string? LengthAppended(OnnxNodeContext context, string extended, string indices)
    {
        if (context.ProducerOf(extended) is not { OpType: "Concat" } concat || concat.Input.Count != 2 || IntAttribute(concat, "axis") != 0
            || context.ProducerOf(concat.Input[1]) is not { OpType: "Unsqueeze" } unsqueeze
            || !Axes(unsqueeze, name => ConstantInts(context, name)).SequenceEqual([0L])
            || context.ProducerOf(unsqueeze.Input[0]) is not { } length || !IsLengthOf(context, length, indices))
        {
            return null;
        }

        return concat.Input[0];
    }

    // Gather(Shape(name), 0): the length of a tensor's axis 0, as a scalar.
    private static bool IsLengthOf(OnnxNodeContext context, NodeProto gather, string name) =>
        gather is { OpType: "Gather", Input.Count: 2 } && (IntAttribute(gather, "axis") ?? 0) == 0
        && context.TensorNamed(gather.Input[1]) is { } index && OnnxNodeContext.ConstantValue(index) is { Rank: 0 } value && value.GetInt64(0) == 0
        && context.ProducerOf(gather.Input[0]) is { OpType: "Shape", Input.Count: 1 } shape && shape.Input[0] == name
        && shape.Attribute.Count == 0;

    // Slice(x, [from], [INT64_MAX], [0], [1]) (steps may be left out).
    private static bool IsSliceToTheEnd(OnnxNodeContext context, NodeProto slice, long from) =>
        slice is { OpType: "Slice", Input.Count: 4 or 5 }
        && ConstantInts(context, slice.Input[1]) is [var start] && start == from
        && ConstantInts(context, slice.Input[2]) is [ToTheEnd]
        && ConstantInts(context, slice.Input[3]) is [0]
        && (slice.Input.Count == 4 || ConstantInts(context, slice.Input[4]) is [1]);

    private static bool HasRank(Output value, int rank) => value.Shape.IsRankStatic && value.Shape.Rank == rank;

    private static bool IsTrue(Output? value) =>
        value is { } v && OnnxNodeContext.ConstantValue(v) is { ElementCount: 1 } constant && constant.GetDouble(0) != 0;

    private static long[]? ConstantInts(OnnxNodeContext context, string name) =>
        context.TensorNamed(name) is { } value && OnnxNodeContext.ConstantValue(value) is { Rank: <= 1 } constant && !constant.Type.IsFloatingPoint()
            ? constant.ToInt64Array()
            : null;

    // Axes given as an attribute (older opsets) or as a constant input (Unsqueeze and ReduceSum 13 on, ReduceMean 18 on).
    private static long[] Axes(NodeProto node, Func<string, long[]?> constantInts) =>
        node.Attribute.FirstOrDefault(a => a.Name == "axes") is { } attribute ? [.. attribute.Ints]
        : node.Input.Count > 1 ? constantInts(node.Input[1]) ?? []
        : [];

    private static long? IntAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : null;

    /// <summary>What the body says of one EmbeddingBag: the outer names it reads, and the mode.</summary>
    private sealed record BagPattern(string Starts, string Ends, string Indices, string Table, string? Weights, bool Mean);

    /// <summary>Walks the body back from its bag output; every node it accepts is recorded, so the body can be checked to hold nothing else.</summary>
    private sealed class BodyPattern(OnnxNodeContext context, GraphProto body)
    {
        private readonly Dictionary<string, NodeProto> _producers = body.Node
            .SelectMany(node => node.Output.Select(output => (output, node)))
            .GroupBy(p => p.output, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().node, StringComparer.Ordinal);

        private readonly HashSet<NodeProto> _matched = new(ReferenceEqualityComparer.Instance);

        public BagPattern? Match()
        {
            if (!IsConditionTrue(body.Output[0].Name) || Node(body.Output[1].Name, "ReduceSum", "ReduceMean") is not { } reduce
                || IntAttribute(reduce, "keepdims") != 0 || (IntAttribute(reduce, "noop_with_empty_axes") ?? 0) != 0
                || !Axes(reduce).SequenceEqual([0L]))
            {
                return null;
            }

            var rows = reduce.Input[0];
            NodeProto? weightSlice = null;
            if (Node(rows, "Mul") is { Input.Count: 2 } multiply)
            {
                if (Node(multiply.Input[1], "Unsqueeze") is not { } unsqueeze || !Axes(unsqueeze).SequenceEqual([1L])
                    || Node(unsqueeze.Input[0], "Slice") is not { } slice)
                {
                    return null;
                }

                weightSlice = slice;
                rows = multiply.Input[0];
            }

            // The per-sample weights are sliced exactly as the indices are.
            if (Node(rows, "Gather") is not { Input.Count: 2 } gather || (IntAttribute(gather, "axis") ?? 0) != 0
                || Node(gather.Input[1], "Slice") is not { } indexSlice || SliceBounds(indexSlice) is not var (starts, ends)
                || (weightSlice is not null && (SliceBounds(weightSlice) is null
                    || weightSlice.Input[1] != indexSlice.Input[1] || weightSlice.Input[2] != indexSlice.Input[2])))
            {
                return null;
            }

            var weights = weightSlice?.Input[0];
            string[] outer = [starts, ends, indexSlice.Input[0], gather.Input[0], .. weights is null ? [] : new[] { weights }];
            return outer.All(IsOuter) ? new BagPattern(starts, ends, indexSlice.Input[0], gather.Input[0], weights, reduce.OpType == "ReduceMean") : null;
        }

        /// <summary>Whether the body holds nothing but the matched nodes (and constants).</summary>
        public bool IsWholeBody() => body.Node.All(node => _matched.Contains(node) || node.OpType == "Constant");

        // Slice(x, Unsqueeze(Gather(starts, i), [0]), Unsqueeze(Gather(ends, i), [0]), [0]) → (starts, ends).
        private (string Starts, string Ends)? SliceBounds(NodeProto slice)
        {
            if (slice.Input.Count != 4 || ConstantInts(slice.Input[3]) is not [0]
                || Bound(slice.Input[1]) is not { } starts || Bound(slice.Input[2]) is not { } ends)
            {
                return null;
            }

            return (starts, ends);
        }

        private string? Bound(string name) =>
            Node(name, "Unsqueeze") is { } unsqueeze && Axes(unsqueeze).SequenceEqual([0L])
            && Node(unsqueeze.Input[0], "Gather") is { Input.Count: 2 } gather && (IntAttribute(gather, "axis") ?? 0) == 0
            && gather.Input[1] == body.Input[0].Name
                ? gather.Input[0]
                : null;

        private bool IsConditionTrue(string name)
        {
            if (Node(name, "Cast") is { } cast)
            {
                return IntAttribute(cast, "to") == (long)TensorProto.Types.DataType.Bool && IsTrueConstant(cast.Input[0]);
            }

            return IsTrueConstant(name);
        }

        private bool IsTrueConstant(string name) => ConstantOf(name) is { ElementCount: 1 } value && value.GetDouble(0) != 0;

        private long[] Axes(NodeProto node) => EmbeddingBagLoop.Axes(node, ConstantInts);

        private long[]? ConstantInts(string name) =>
            ConstantOf(name) is { Rank: <= 1 } value && !value.Type.IsFloatingPoint() ? value.ToInt64Array() : null;

        // A body Constant node's value, or an outer constant's.
        private Tensor? ConstantOf(string name)
        {
            if (!_producers.TryGetValue(name, out var node))
            {
                return IsOuter(name) && context.TensorNamed(name) is { } outer ? OnnxNodeContext.ConstantValue(outer) : null;
            }

            if (node.OpType != "Constant" || node.Attribute.Count != 1)
            {
                return null;
            }

            var attribute = node.Attribute[0];
            return attribute.Name switch
            {
                "value" when attribute.T is not null => OnnxTensors.ToTensor(attribute.T, context.Session.Model),
                "value_int" => Tensor.FromArray([attribute.I], []),
                "value_ints" => Tensor.FromArray([.. attribute.Ints], attribute.Ints.Count),
                _ => null,
            };
        }

        private bool IsOuter(string name) => !_producers.ContainsKey(name) && body.Input.All(input => input.Name != name);

        // The body node computing a name, when it is one of the given types of the default domain; it joins the match.
        private NodeProto? Node(string name, params string[] opTypes)
        {
            if (!_producers.TryGetValue(name, out var node) || !opTypes.Contains(node.OpType) || OnnxDomains.Normalize(node.Domain) != OnnxDomains.Default
                || node.Output.Count != 1)
            {
                return null;
            }

            _matched.Add(node);
            return node;
        }
    }
}
