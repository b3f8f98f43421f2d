using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// What Loop and TensorIterator share: checking port maps, output shapes and running the iterations
/// (If checks its port maps and scalar condition with the same helpers).
/// </summary>
internal static class BodyIteration
{
    public static Body SingleBody(InferenceContext context)
    {
        context.Require(context.Bodies.Count == 1, $"needs one body, it has {context.Bodies.Count}");
        var body = context.Bodies[0];
        CheckInputs(context, body, firstDataInput: 0);
        return body;
    }

    public static int OutputCount(Body body) => body.Outputs.Count == 0 ? 0 : body.Outputs.Max(o => o.OutputIndex) + 1;

    public static void RequireScalarLike(InferenceContext context, PartialShape shape, string what) =>
        context.Require(!shape.IsRankStatic || shape.Rank == 0 || (shape.Rank == 1 && shape[0].Contains(1)),
            $"{what} must be a scalar or hold one element, its shape is {shape.ToDisplayString()}");

    /// <summary>Every body Parameter must be fed, each from an existing input of a compatible type and shape.</summary>
    public static void CheckInputs(InferenceContext context, Body body, int firstDataInput)
    {
        var parameters = body.Graph.Parameters;
        var fed = new bool[parameters.Count];
        foreach (var input in body.Inputs)
        {
            context.Require(input.ExternalPort >= firstDataInput && input.ExternalPort < context.InputCount,
                $"the port map names input {input.ExternalPort}, which does not exist");
            context.Require(input.Parameter >= 0 && input.Parameter < parameters.Count,
                $"the port map names body Parameter {input.Parameter}, which does not exist");
            fed[input.Parameter] = true;
            var parameter = parameters[input.Parameter].Outputs[0];
            var type = context.InputType(input.ExternalPort);
            context.Require(parameter.Type == type || type == ElementType.Dynamic || parameter.Type == ElementType.Dynamic,
                $"input {input.ExternalPort} is {type.IrName()} but feeds a {parameter.Type.IrName()} body Parameter");
            var outer = context.InputShape(input.ExternalPort);
            var expected = input is SlicedBodyInput sliced ? PartShape(context, outer, sliced) : outer;
            context.Require(parameter.Shape.IsCompatible(expected),
                $"input {input.ExternalPort} gives {expected.ToDisplayString()} to a body Parameter of shape {parameter.Shape.ToDisplayString()}");
        }

        if (body.CurrentIterationParameter is { } iteration && iteration < fed.Length)
        {
            fed[iteration] = true;
        }

        var missing = Array.IndexOf(fed, false);
        context.Require(missing < 0, $"body Parameter {missing} is not fed by the port map");
        foreach (var output in body.Outputs)
        {
            context.Require(output.Result >= 0 && output.Result < body.Graph.Results.Count && output.OutputIndex >= 0,
                $"the port map names body Result {output.Result} for output {output.OutputIndex}, which does not exist");
        }

        foreach (var merged in body.Inputs.OfType<MergedBodyInput>())
        {
            context.Require(merged.Result >= 0 && merged.Result < body.Graph.Results.Count,
                $"a back edge starts at body Result {merged.Result}, which does not exist");
        }
    }

    /// <summary>The number of parts the sliced inputs give (they must agree), or null when there are none.</summary>
    public static Dimension? SlicedIterations(InferenceContext context, Body body)
    {
        Dimension? iterations = null;
        foreach (var sliced in body.Inputs.OfType<SlicedBodyInput>())
        {
            var shape = context.InputShape(sliced.ExternalPort);
            var count = Dimension.Dynamic;
            if (shape.IsRankStatic)
            {
                var axis = SqueezeOp.NormalizeAxis(context, sliced.Axis, shape.Rank);
                if (shape[axis].IsStatic)
                {
                    count = PartCount(sliced, shape[axis].Length);
                }
            }

            iterations = iterations is null ? count
                : iterations.Value.Merge(count) ?? throw context.Error($"sliced inputs give {iterations} and {count} parts");
        }

        return iterations;
    }

    public static void InferOutputs(InferenceContext context, Body body, Dimension iterations)
    {
        var count = OutputCount(body);
        var set = new bool[count];
        foreach (var output in body.Outputs)
        {
            var value = body.Graph.Results[output.Result].Input(0);
            var shape = value.Shape;
            if (output is ConcatBodyOutput concat && shape.IsRankStatic)
            {
                var dims = shape.ToArray();
                var axis = SqueezeOp.NormalizeAxis(context, concat.Axis, dims.Length);
                dims[axis] *= iterations;
                shape = PartialShape.Of(dims);
            }

            context.SetOutput(output.OutputIndex, value.Type, shape);
            set[output.OutputIndex] = true;
        }

        var missing = Array.IndexOf(set, false);
        context.Require(missing < 0, $"output {missing} is not produced by the port map");
    }

    /// <summary>Runs the body until <paramref name="tripCount"/> (-1: no limit), the condition or the sliced inputs stop it.</summary>
    public static Tensor[] Run(EvaluationContext context, Body body, long tripCount, bool condition)
    {
        var graph = body.Graph;
        var parameters = new Tensor[graph.Parameters.Count];
        var sliced = body.Inputs.OfType<SlicedBodyInput>().ToList();
        var maximum = tripCount < 0 ? long.MaxValue : tripCount;
        foreach (var input in body.Inputs)
        {
            var value = context.Input(input.ExternalPort);
            if (input is SlicedBodyInput slice)
            {
                maximum = Math.Min(maximum, PartCount(slice, value.Shape[ShapeMath.NormalizeAxis(slice.Axis, value.Rank)]));
            }
            else
            {
                parameters[input.Parameter] = value;
            }
        }

        var parts = body.Outputs.OfType<ConcatBodyOutput>().ToDictionary(o => o, _ => new List<Tensor>());
        IReadOnlyList<Tensor>? results = null;
        for (long iteration = 0; condition && iteration < maximum; iteration++)
        {
            // An iteration costs something even when its body is empty, so no trip count runs unbounded.
            context.Budget.Charge(EvaluationBudget.NodeWork);
            if (body.CurrentIterationParameter is { } current)
            {
                var port = graph.Parameters[current].Outputs[0];
                parameters[current] = Tensor.FromInt64s(port.Type, [iteration], port.Shape.IsRankStatic && port.Shape.Rank == 1 ? [1] : []);
            }

            foreach (var slice in sliced)
            {
                parameters[slice.Parameter] = Part(context.Input(slice.ExternalPort), slice, iteration);
            }

            results = context.RunBody(graph, parameters);
            foreach (var (output, list) in parts)
            {
                list.Add(results[output.Result]);
            }

            foreach (var merged in body.Inputs.OfType<MergedBodyInput>())
            {
                parameters[merged.Parameter] = results[merged.Result];
            }

            if (body.ExecutionConditionResult is { } executionCondition)
            {
                condition = results[executionCondition].GetDouble(0) != 0;
            }
        }

        var outputs = new Tensor[OutputCount(body)];
        foreach (var output in body.Outputs)
        {
            outputs[output.OutputIndex] = output is ConcatBodyOutput concat
                ? Concatenate(context.Budget, graph.Results[concat.Result].Input(0), concat, parts[concat])
                : results?[output.Result] ?? InitialValue(context, body, output);
        }

        return outputs;
    }

    // With no iteration run, a loop-carried value keeps its initial value; nothing else has one.
    private static Tensor InitialValue(EvaluationContext context, Body body, BodyOutput output)
    {
        var merged = body.Inputs.OfType<MergedBodyInput>().FirstOrDefault(m => m.Result == output.Result)
            ?? throw context.Error($"ran no iteration, so output {output.OutputIndex} has no value");
        return context.Input(merged.ExternalPort);
    }

    private static Tensor Concatenate(EvaluationBudget budget, Output result, ConcatBodyOutput concat, List<Tensor> values)
    {
        if (values.Count == 0)
        {
            // No iteration: an empty tensor shaped like one part, with no room along the axis.
            var dims = result.Shape.IsRankStatic ? result.Shape.Select(d => d.IsStatic ? d.Length : 0).ToArray() : [0];
            dims[ShapeMath.NormalizeAxis(concat.Axis, dims.Length)] = 0;
            return Tensor.Zeros(result.Type, dims);
        }

        if (concat.Stride < 0)
        {
            values.Reverse();
        }

        var attributes = Attributes.Create(MovementOps.Concat.Type, MovementOps.Concat.AttributeSpecs, new Dictionary<string, object> { ["axis"] = concat.Axis });
        return ReferenceEvaluator.Evaluate(MovementOps.Concat, attributes, [], null, values, budget)[0];
    }

    // Start and end count from the end when negative and are both included, as OpenVINO reads them.
    private static (long Start, long End) Bounds(SlicedBodyInput slice, long length) =>
        (slice.Start < 0 ? slice.Start + length : slice.Start, slice.End < 0 ? slice.End + length : slice.End);

    private static long PartCount(SlicedBodyInput slice, long length)
    {
        var (start, end) = Bounds(slice, length);
        return Math.Max(0, (Math.Abs(end - start) + 1) / Math.Max(1, slice.PartSize));
    }

    private static Tensor Part(Tensor value, SlicedBodyInput slice, long iteration)
    {
        var axis = ShapeMath.NormalizeAxis(slice.Axis, value.Rank);
        var (start, _) = Bounds(slice, value.Shape[axis]);
        var offset = slice.Stride > 0 ? start + iteration * slice.Stride : start + iteration * slice.Stride - (slice.PartSize - 1);
        var shape = (long[])value.Shape.Clone();
        shape[axis] = slice.PartSize;
        var strides = ShapeMath.Strides(value.Shape);
        return value.Remap(shape, IndexMaps.Strided(shape, strides, offset * strides[axis]));
    }

    private static PartialShape PartShape(InferenceContext context, PartialShape outer, SlicedBodyInput slice)
    {
        if (!outer.IsRankStatic)
        {
            return outer;
        }

        var dims = outer.ToArray();
        dims[SqueezeOp.NormalizeAxis(context, slice.Axis, dims.Length)] = slice.PartSize;
        return PartialShape.Of(dims);
    }
}
