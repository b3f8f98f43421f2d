using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Loop → Loop-5 (PyTorch's EmbeddingBag loop → EmbeddingBagOffsetsSum-3, see <see cref="EmbeddingBagLoop"/>), If → If-8 (or, with a constant condition, the taken branch itself), Scan →
/// TensorIterator-1. Outer-scope values a body uses become extra inputs feeding body Parameters.
/// </summary>
public static class ControlFlowTranslators
{
    /// <summary>
    /// Loop: inputs (M, cond, v_initial...), body (iteration_num, cond_in, v_in...) → (cond_out,
    /// v_out..., scan_out...). Loop-carried values become merged inputs with back edges, scan
    /// outputs are stacked along a new axis 0 (Unsqueeze in the body, concatenated output).
    /// </summary>
    public static IReadOnlyList<Output> Loop(OnnxNodeContext context)
    {
        var b = context.Graph;
        var graph = RequireGraph(context, "body");
        if (EmbeddingBagLoop.TryTranslate(context, graph) is { } bags)
        {
            return [bags];
        }

        var carried = Enumerable.Range(2, Math.Max(0, context.InputCount - 2)).Select(context.Input).ToList();

        // No trip count, or INT64_MAX (what exporters write for "no limit"), is OpenVINO's -1.
        var tripCount = context.OptionalInput(0) is { } m && OnnxNodeContext.ConstantValue(m)?.GetInt64(0) != long.MaxValue ? m : b.Int64(-1);
        var condition = context.OptionalInput(1) ?? True(b);
        var translation = TranslateBody(context, graph, carried, firstCarriedResult: 1, shapes =>
            [new(ElementType.I64, PartialShape.Scalar), new(ElementType.Boolean, PartialShape.Scalar), .. carried.Select((v, i) => new SubgraphInput(v.Type, shapes[i]))]);
        var body = translation.Body;
        var scanCount = body.Results.Count - 1 - carried.Count;
        if (scanCount < 0)
        {
            throw context.Error($"the body has {body.Results.Count} outputs, fewer than the condition and {carried.Count} loop-carried values");
        }

        // A condition passed through unchanged stays true for every iteration that runs.
        var conditionIn = body.Parameters[1].Output();
        if (body.Results[0].Input(0) == conditionIn)
        {
            body.Results[0] = Node.CreateResult(True(b));
        }

        for (var k = 0; k < scanCount; k++)
        {
            var index = 1 + carried.Count + k;
            body.Results[index] = Node.CreateResult(b.Unsqueeze(body.Results[index].Input(0), 0));
        }

        // Input ports follow the body Parameters: trip count (its port feeds no Parameter; Parameter 0
        // is the iteration number), condition, loop-carried values, captures.
        var used = body.Consumers();
        var kept = new List<Node>();
        var inputs = new List<BodyInput>();
        int? iteration = null;
        for (var p = 0; p < body.Parameters.Count; p++)
        {
            if (p <= 1 && !used.ContainsKey(body.Parameters[p].Output()))
            {
                continue;
            }

            var index = kept.Count;
            kept.Add(body.Parameters[p]);
            if (p == 0)
            {
                iteration = index;
            }
            else if (p < 2 + carried.Count)
            {
                // cond_in is carried too: first the condition input, then the body's last condition.
                inputs.Add(new MergedBodyInput(p, index, p - 1));
            }
            else
            {
                inputs.Add(new BodyInput(p, index));
            }
        }

        body.Parameters.Clear();
        body.Parameters.AddRange(kept);
        var outputs = Enumerable.Range(0, carried.Count).Select(i => new BodyOutput(1 + i, i))
            .Concat(Enumerable.Range(0, scanCount).Select(k => (BodyOutput)new ConcatBodyOutput(1 + carried.Count + k, carried.Count + k, 0, 0, 1, 1, -1)))
            .ToList();
        var loop = new Body(body, inputs, outputs) { CurrentIterationParameter = iteration, ExecutionConditionResult = 0 };
        return b.MakeMulti(InfrastructureOps.Loop, [tripCount, condition, .. carried, .. translation.Captures], bodies: [loop]);
    }

    /// <summary>If: with a constant condition the taken branch is translated in place (so it may even yield sequences); otherwise If-8.</summary>
    public static IReadOnlyList<Output> If(OnnxNodeContext context)
    {
        // ONNX takes any one-element condition ([1,1] included); OpenVINO's If a scalar or [1]: reshaped to a scalar.
        var condition = context.Input(0) is var given && given.Shape.IsRankStatic && given.Shape.Rank == 0 ? given : context.Graph.Reshape(given);
        var then = RequireGraph(context, "then_branch");
        var otherwise = RequireGraph(context, "else_branch");
        if (OnnxNodeContext.ConstantValue(condition) is { } value)
        {
            var outputs = context.TranslateInline(value.GetDouble(0) != 0 ? then : otherwise, []);
            for (var i = 0; i < outputs.Count; i++)
            {
                context.BindOutput(i, outputs[i]);
            }

            return [];
        }

        var inputs = new List<Output> { condition };
        Body Branch(SubgraphTranslation branch) => new(
            branch.Body,
            branch.Captures.Select((capture, parameter) => new BodyInput(Port(capture), parameter)).ToList(),
            branch.Body.Results.Select((_, i) => new BodyOutput(i, i)).ToList());

        // Both branches share one input port per captured outer value.
        int Port(Output capture)
        {
            var port = inputs.IndexOf(capture, 1);
            if (port < 0)
            {
                inputs.Add(capture);
                port = inputs.Count - 1;
            }

            return port;
        }

        List<Body> bodies = [Branch(context.TranslateSubgraph(then, [])), Branch(context.TranslateSubgraph(otherwise, []))];
        return context.Graph.MakeMulti(ConditionOps.If, inputs, bodies: bodies);
    }

    /// <summary>
    /// Scan-8: a leading sequence_lens input and a batch axis 0 on everything; it becomes a
    /// TensorIterator over the batch whose body holds the scan.
    /// </summary>
    public static IReadOnlyList<Output> ScanV8(OnnxNodeContext context)
    {
        var graph = RequireGraph(context, "body");
        var scanCount = (int)context.GetInt("num_scan_inputs");
        return ScanBatches(context, graph, scanCount);
    }

    /// <summary>
    /// Scan-9 and later: N state inputs then M scan inputs, each scanned along its axis (forward or
    /// reverse); body (states, scan elements) → (states, scan output elements).
    /// </summary>
    public static IReadOnlyList<Output> ScanV9(OnnxNodeContext context)
    {
        var graph = RequireGraph(context, "body");
        var scanCount = (int)context.GetInt("num_scan_inputs");
        var values = Enumerable.Range(0, context.InputCount).Select(context.Input).ToList();
        var stateCount = values.Count - scanCount;
        if (stateCount < 0)
        {
            throw context.Error($"num_scan_inputs is {scanCount}, but there are {values.Count} inputs");
        }

        return BuildScan(context, graph, values[..stateCount], values[stateCount..], ScanningOf(context, scanCount), capture => capture);
    }

    private static Output[] ScanBatches(OnnxNodeContext context, GraphProto graph, int scanCount)
    {
        if (context.HasInput(0))
        {
            throw context.Error("sequence_lens is not supported: every sequence of the batch must be scanned to its full length");
        }

        var b = context.Graph;
        var values = Enumerable.Range(1, context.InputCount - 1).Select(context.Input).ToList();
        var stateCount = values.Count - scanCount;
        if (stateCount < 0)
        {
            throw context.Error($"num_scan_inputs is {scanCount}, but there are {values.Count} inputs after sequence_lens");
        }

        // Each iteration of the outer TensorIterator takes one batch entry ([1, ...], squeezed).
        var parameters = values.Select((v, i) => Node.CreateParameter(v.Type, WithDimension(context, v.Shape, 0, 1), $"{context.Name}/batch_{i}")).ToList();
        var entries = parameters.Select(p => b.Squeeze(p.Output(), 0)).ToList();
        var routedValues = new List<Output>();
        var routedParameters = new List<Node>();
        Output Route(Output capture)
        {
            var parameter = Node.CreateParameter(capture.Type, capture.Shape, $"{context.Name}/capture_{routedValues.Count}");
            routedValues.Add(capture);
            routedParameters.Add(parameter);
            return parameter.Output();
        }

        var directions = context.GetInts("directions") ?? new long[scanCount];
        var scanning = new Scanning(new long[scanCount], directions, null, null);
        var scanned = BuildScan(context, graph, entries[..stateCount], entries[stateCount..], scanning, Route);
        var results = scanned.Select(o => Node.CreateResult(b.Unsqueeze(o, 0))).ToList();
        var model = new Model($"{context.Name}/batch", [.. parameters, .. routedParameters], results);
        var inputs = Enumerable.Range(0, values.Count).Select(i => (BodyInput)new SlicedBodyInput(i, i, 0, 0, 1, 1, -1))
            .Concat(Enumerable.Range(values.Count, routedValues.Count).Select(i => new BodyInput(i, i)))
            .ToList();
        var outputs = Enumerable.Range(0, results.Count).Select(i => (BodyOutput)new ConcatBodyOutput(i, i, 0, 0, 1, 1, -1)).ToList();
        return b.MakeMulti(InfrastructureOps.TensorIterator, [.. values, .. routedValues], bodies: [new Body(model, inputs, outputs)]);
    }

    /// <summary>The TensorIterator of a Scan; <paramref name="route"/> turns each captured outer value into the TensorIterator input that carries it.</summary>
    private static Output[] BuildScan(OnnxNodeContext context, GraphProto graph, IReadOnlyList<Output> states, IReadOnlyList<Output> scans, Scanning scanning, Func<Output, Output> route)
    {
        var b = context.Graph;
        if (scans.Count == 0)
        {
            throw context.Error("there are no scan inputs to iterate over");
        }

        var axes = scans.Select((scan, j) => scan.Shape.IsRankStatic
            ? ShapeMath.NormalizeAxis(scanning.InputAxes[j], scan.Shape.Rank)
            : throw context.Error($"scan input {j} has an unknown rank")).ToArray();
        var translation = TranslateBody(context, graph, states, firstCarriedResult: 0, shapes =>
        [
            .. states.Select((state, i) => new SubgraphInput(state.Type, shapes[i])),
            .. scans.Select((scan, j) => new SubgraphInput(scan.Type, WithDimension(context, scan.Shape, axes[j], 1), part => b.Squeeze(part, axes[j]))),
        ]);
        var body = translation.Body;
        var (n, m) = (states.Count, scans.Count);
        var inputs = new List<BodyInput>();
        inputs.AddRange(Enumerable.Range(0, n).Select(i => new MergedBodyInput(i, i, i)));
        inputs.AddRange(Enumerable.Range(0, m).Select(j => Sliced(n + j, axes[j], scanning.InputDirections[j] != 0)));
        inputs.AddRange(Enumerable.Range(n + m, translation.Captures.Count).Select(p => new BodyInput(p, p)));
        var outputs = new List<BodyOutput>();
        outputs.AddRange(Enumerable.Range(0, n).Select(i => new BodyOutput(i, i)));
        for (var k = 0; k < body.Results.Count - n; k++)
        {
            var element = body.Results[n + k].Input(0);
            if (!element.Shape.IsRankStatic)
            {
                throw context.Error($"scan output {k} has an unknown rank");
            }

            var axis = ShapeMath.NormalizeAxis(scanning.OutputAxes?[k] ?? 0, element.Shape.Rank + 1);
            body.Results[n + k] = Node.CreateResult(b.Unsqueeze(element, axis));
            var reverse = (scanning.OutputDirections?[k] ?? 0) != 0;
            outputs.Add(new ConcatBodyOutput(n + k, n + k, axis, reverse ? -1 : 0, reverse ? -1 : 1, 1, reverse ? 0 : -1));
        }

        return b.MakeMulti(InfrastructureOps.TensorIterator, [.. states, .. scans, .. translation.Captures.Select(route)], bodies: [new Body(body, inputs, outputs)]);
    }

    private static Scanning ScanningOf(OnnxNodeContext context, int scanCount) => new(
        context.GetInts("scan_input_axes") ?? new long[scanCount],
        context.GetInts("scan_input_directions") ?? new long[scanCount],
        context.GetInts("scan_output_axes"),
        context.GetInts("scan_output_directions"));

    // One part per iteration, first to last or last to first.
    private static SlicedBodyInput Sliced(int port, long axis, bool reverse) =>
        reverse ? new SlicedBodyInput(port, port, axis, -1, -1, 1, 0) : new SlicedBodyInput(port, port, axis, 0, 1, 1, -1);

    /// <summary>
    /// Translates a Loop or Scan body. Loop-carried values may change shape from one iteration to
    /// the next (a growing concatenation): the body is translated with the initial shapes, then
    /// again with every dim that changed made dynamic, until each Result fits the Parameter it feeds.
    /// </summary>
    private static SubgraphTranslation TranslateBody(OnnxNodeContext context, GraphProto graph, IReadOnlyList<Output> carried, int firstCarriedResult, Func<PartialShape[], IReadOnlyList<SubgraphInput>> inputs)
    {
        var shapes = carried.Select(v => v.Shape).ToArray();
        while (true)
        {
            var translation = context.TranslateSubgraph(graph, inputs(shapes));
            var results = translation.Body.Results;
            if (results.Count < firstCarriedResult + carried.Count)
            {
                throw context.Error($"the body has {results.Count} outputs, fewer than the {firstCarriedResult + carried.Count} it must return");
            }

            var relaxed = shapes.Select((shape, i) => Relax(shape, results[firstCarriedResult + i].Input(0).Shape)).ToArray();
            if (relaxed.SequenceEqual(shapes))
            {
                return translation;
            }

            shapes = relaxed;
        }
    }

    // Dims that stay put are kept; others become dynamic (a dim never becomes static again, so this settles).
    private static PartialShape Relax(PartialShape parameter, PartialShape result)
    {
        if (!parameter.IsRankStatic)
        {
            return parameter;
        }

        return result.IsRankStatic && result.Rank == parameter.Rank
            ? PartialShape.Of(parameter.Zip(result, (p, r) => p == r || p.IsFullyDynamic ? p : Dimension.Dynamic))
            : PartialShape.DynamicRank;
    }

    private static PartialShape WithDimension(OnnxNodeContext context, PartialShape shape, int axis, Dimension dimension)
    {
        if (!shape.IsRankStatic || axis >= shape.Rank)
        {
            throw context.Error($"an input of shape {shape.ToDisplayString()} has no axis {axis} to iterate over");
        }

        var dims = shape.ToArray();
        dims[axis] = dimension;
        return PartialShape.Of(dims);
    }

    private static Output True(GraphBuilder b) => b.Constant(Tensor.FromArray([true], []));

    private static GraphProto RequireGraph(OnnxNodeContext context, string name) =>
        context.GetGraph(name) ?? throw context.Error($"attribute '{name}' is required");

    /// <summary>Scan axes and directions (0 forward, 1 reverse) of the scan inputs and outputs; null output lists mean all 0.</summary>
    private sealed record Scanning(long[] InputAxes, long[] InputDirections, long[]? OutputAxes, long[]? OutputDirections);
}
