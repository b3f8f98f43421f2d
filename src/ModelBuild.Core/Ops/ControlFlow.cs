using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Loop-5: runs its body while the trip count (input 0, -1 = no limit) is not reached and the
/// condition (input 1 at first, then the body's execution-condition Result) holds. Inputs from 2
/// on feed body Parameters as invariant, sliced or loop-carried (merged) values; outputs are the
/// last iteration's value of a body Result or the concatenation of its values over all iterations.
/// </summary>
public sealed class LoopOp : OpDefinition
{
    public LoopOp()
        : base("Loop", 5, 2, int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        var body = BodyIteration.SingleBody(context);
        context.Require(context.InputType(0).IsInteger() || context.InputType(0) == ElementType.Dynamic, "the trip count must be an integer");
        context.Require(context.InputType(1) is ElementType.Boolean or ElementType.Dynamic, "the execution condition must be boolean");
        BodyIteration.RequireScalarLike(context, context.InputShape(0), "the trip count");
        BodyIteration.RequireScalarLike(context, context.InputShape(1), "the execution condition");
        var condition = body.ExecutionConditionResult ?? throw context.Error("the body has no execution-condition Result");
        context.Require(condition < body.Graph.Results.Count, $"the execution condition names body Result {condition}, which does not exist");
        if (body.CurrentIterationParameter is { } iteration)
        {
            context.Require(iteration < body.Graph.Parameters.Count, $"the current iteration names body Parameter {iteration}, which does not exist");
            var port = body.Graph.Parameters[iteration].Outputs[0];
            context.Require(port.Type.IsInteger() || port.Type == ElementType.Dynamic, "the current-iteration Parameter must be an integer");
        }

        BodyIteration.InferOutputs(context, body, Iterations(context, body));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var tripCount = context.Input(0).GetInt64(0);
        var condition = context.Input(1).GetDouble(0) != 0;
        return BodyIteration.Run(context, context.Bodies[0], tripCount, condition);
    }

    // Known only for a for-loop: constant trip count and conditions that are constantly true (or an initial false).
    private static Dimension Iterations(InferenceContext context, Body body)
    {
        var initial = context.InputValue(1);
        if (initial is not null && initial.GetDouble(0) == 0)
        {
            return 0;
        }

        var trips = context.InputValue(0)?.GetInt64(0);
        var bodyCondition = body.Graph.Results[body.ExecutionConditionResult!.Value].Input(0).Node.Constant?.TryGetValue();
        var alwaysTrue = initial is not null && bodyCondition is not null && bodyCondition.GetDouble(0) != 0;
        var sliced = BodyIteration.SlicedIterations(context, body);
        if (trips is null || trips < 0 || !alwaysTrue)
        {
            return sliced is { IsStatic: true } ? new Dimension(0, sliced.Value.Length) : Dimension.Dynamic;
        }

        return sliced is { IsStatic: true } ? Math.Min(trips.Value, sliced.Value.Length) : trips.Value;
    }
}

/// <summary>
/// TensorIterator-1: runs its body once per part of its sliced inputs (all sliced inputs give the
/// same number of parts); invariant, merged and concatenated ports as for Loop.
/// </summary>
public sealed class TensorIteratorOp : OpDefinition
{
    public TensorIteratorOp()
        : base("TensorIterator", 1, 1, int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        var body = BodyIteration.SingleBody(context);
        context.Require(body.Inputs.OfType<SlicedBodyInput>().Any(), "needs a sliced input to know its number of iterations");
        context.Require(body.CurrentIterationParameter is null && body.ExecutionConditionResult is null,
            "has no current-iteration or execution-condition ports (those are Loop's)");
        BodyIteration.InferOutputs(context, body, BodyIteration.SlicedIterations(context, body) ?? Dimension.Dynamic);
    }

    public override Tensor[] Evaluate(EvaluationContext context) => BodyIteration.Run(context, context.Bodies[0], -1, true);
}

/// <summary>
/// If-8: input 0 is a boolean condition; the then body (first) or the else body (second) runs on
/// the inputs its port map names, and its Results give the outputs.
/// </summary>
public sealed class IfOp : OpDefinition
{
    public IfOp()
        : base("If", 8, 1, int.MaxValue)
    {
    }

    public override void Infer(InferenceContext context)
    {
        context.Require(context.Bodies.Count == 2, $"needs a then and an else body, it has {context.Bodies.Count} bodies");
        context.Require(context.InputType(0) is ElementType.Boolean or ElementType.Dynamic, "the condition must be boolean");
        BodyIteration.RequireScalarLike(context, context.InputShape(0), "the condition");
        foreach (var body in context.Bodies)
        {
            BodyIteration.CheckInputs(context, body, firstDataInput: 1);
        }

        var (then, otherwise) = (context.Bodies[0], context.Bodies[1]);
        var count = Math.Max(BodyIteration.OutputCount(then), BodyIteration.OutputCount(otherwise));
        var condition = context.InputValue(0);
        for (var i = 0; i < count; i++)
        {
            var thenValue = BranchOutput(context, then, i, "then");
            var elseValue = BranchOutput(context, otherwise, i, "else");
            if (condition is not null)
            {
                var taken = condition.GetDouble(0) != 0 ? thenValue : elseValue;
                context.SetOutput(i, taken.Type, taken.Shape);
                continue;
            }

            context.Require(thenValue.Type == elseValue.Type || thenValue.Type == ElementType.Dynamic || elseValue.Type == ElementType.Dynamic,
                $"output {i} is {thenValue.Type.IrName()} in the then body and {elseValue.Type.IrName()} in the else body");
            var type = thenValue.Type == ElementType.Dynamic ? elseValue.Type : thenValue.Type;
            context.SetOutput(i, type, Union(thenValue.Shape, elseValue.Shape));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var body = context.Bodies[context.Input(0).GetDouble(0) != 0 ? 0 : 1];
        var parameters = new Tensor[body.Graph.Parameters.Count];
        foreach (var input in body.Inputs)
        {
            parameters[input.Parameter] = context.Input(input.ExternalPort);
        }

        var results = context.RunBody(body.Graph, parameters);
        var outputs = new Tensor[BodyIteration.OutputCount(body)];
        foreach (var output in body.Outputs)
        {
            outputs[output.OutputIndex] = results[output.Result];
        }

        return outputs;
    }

    private static Output BranchOutput(InferenceContext context, Body body, int index, string branch)
    {
        var outputs = body.Outputs.Where(o => o.OutputIndex == index).ToList();
        context.Require(outputs.Count == 1, $"the {branch} body maps {outputs.Count} Results to output {index}, it must map one");
        return body.Graph.Results[outputs[0].Result].Input(0);
    }

    // What either branch may produce: dims that agree stay, others become the range covering both.
    private static PartialShape Union(PartialShape a, PartialShape b)
    {
        if (!a.IsRankStatic || !b.IsRankStatic || a.Rank != b.Rank)
        {
            return PartialShape.DynamicRank;
        }

        return PartialShape.Of(a.Zip(b, (x, y) => x == y ? x : new Dimension(Math.Min(x.Min, y.Min), Math.Max(x.Max, y.Max))));
    }
}

/// <summary>What Loop and TensorIterator share: checking port maps, output shapes and running the iterations.</summary>
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
                ? Concatenate(graph.Results[concat.Result].Input(0), concat, parts[concat])
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

    private static Tensor Concatenate(Output result, ConcatBodyOutput concat, List<Tensor> values)
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

        var attributes = Attributes.Create(DataMovementOps.Concat.Type, DataMovementOps.Concat.AttributeSpecs, new Dictionary<string, object> { ["axis"] = concat.Axis });
        return ReferenceEvaluator.Evaluate(DataMovementOps.Concat, attributes, [], null, values)[0];
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

/// <summary>The control-flow ops: ops with subgraph bodies.</summary>
public static class ControlFlowOps
{
    public static readonly OpDefinition Loop = new LoopOp();
    public static readonly OpDefinition TensorIterator = new TensorIteratorOp();
    public static readonly OpDefinition If = new IfOp();
}
