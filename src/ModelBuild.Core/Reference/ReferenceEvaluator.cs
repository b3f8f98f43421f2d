using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>
/// Executes a graph of OpenVINO ops with the ops' reference kernels. One evaluator serves constant
/// folding, <c>modelconvert verify</c> and the tests that run produced IR against expected outputs.
/// Simple and exact rather than fast.
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="inputs"/> (one per Parameter, in order) and returns one tensor per Result.</summary>
    public static IReadOnlyList<Tensor> Run(Model model, IReadOnlyList<Tensor> inputs) => Run(model, inputs, EvaluationBudget.Unlimited());

    /// <summary>Runs a model within <paramref name="budget"/> (a body run by a Loop being folded).</summary>
    public static IReadOnlyList<Tensor> Run(Model model, IReadOnlyList<Tensor> inputs, EvaluationBudget budget)
    {
        if (inputs.Count != model.Parameters.Count)
        {
            throw new ModelBuildException(DiagnosticCode.EvaluationFailed, $"The model has {model.Parameters.Count} inputs but {inputs.Count} values were given.");
        }

        var order = model.OrderedNodes();
        var remainingUses = CountUses(order);
        var values = new Dictionary<Output, Tensor>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var parameter = model.Parameters[i];
            values[parameter.Output()] = BindParameter(parameter, inputs[i]);
        }

        foreach (var node in order)
        {
            if (node.Op is ParameterOp)
            {
                continue;
            }

            var arguments = new Tensor[node.Inputs.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = values[node.Inputs[i]];
            }

            var outputs = EvaluateNode(node, arguments, budget);
            for (var i = 0; i < outputs.Length; i++)
            {
                values[node.Output(i)] = outputs[i];
            }

            // Drop intermediate values as soon as their last consumer ran.
            foreach (var input in node.Inputs)
            {
                if (--remainingUses[input] == 0)
                {
                    values.Remove(input);
                }
            }
        }

        return model.Results.Select(result => values[result.Output()]).ToArray();
    }

    /// <summary>Evaluates one node on concrete inputs within <paramref name="budget"/> (none: unlimited); errors name the node.</summary>
    public static Tensor[] EvaluateNode(Node node, IReadOnlyList<Tensor> inputs, EvaluationBudget budget)
    {
        try
        {
            return Evaluate(node.Op, node.Attributes, node.Bodies, node.Constant, inputs, budget);
        }
        catch (InferenceException error)
        {
            throw new ModelBuildException(DiagnosticCode.EvaluationFailed, error.Message, node: node.Name ?? node.Type);
        }
    }

    /// <summary>
    /// Evaluates an op on concrete inputs, applying the low-precision policy of <see cref="OpDefinition.EvaluatesLowPrecision"/>.
    /// The work is charged to <paramref name="budget"/> before the kernel runs, from the inputs, the output
    /// shapes inference derives and the op's <see cref="OpDefinition.EvaluationWork"/>; outputs whose size
    /// depends on the values are charged (and checked) when they are known.
    /// </summary>
    public static Tensor[] Evaluate(OpDefinition op, Attributes attributes, IReadOnlyList<Body> bodies, ConstantPayload? constant, IReadOnlyList<Tensor> inputs, EvaluationBudget? budget = null)
    {
        budget ??= EvaluationBudget.Unlimited();
        IReadOnlyList<Tensor> RunBody(Model body, IReadOnlyList<Tensor> parameters) => Run(body, parameters, budget);

        var expected = new EvaluationContext(op, attributes, inputs, bodies, RunBody, budget, constant);

        // Without a limit nothing is counted, and inference runs only if the kernel asks for output shapes.
        var pending = budget.IsUnlimited ? [] : ChargeBeforehand(expected, budget);
        var lowPrecision = !op.EvaluatesLowPrecision && inputs.Any(t => t.Type is ElementType.F16 or ElementType.BF16);
        if (!lowPrecision)
        {
            return ChargeAfterwards(pending, Check(op, op.Evaluate(expected)), budget);
        }

        // Kernels compute f16/bf16 in f32; results are rounded back to the types inference expects.
        var widened = inputs.Select(t => t.Type is ElementType.F16 or ElementType.BF16 ? t.ConvertTo(ElementType.F32) : t).ToArray();
        var outputs = Check(op, op.Evaluate(new EvaluationContext(op, attributes, widened, bodies, RunBody, budget, constant)));
        ChargeAfterwards(pending, outputs, budget);
        for (var i = 0; i < outputs.Length; i++)
        {
            var type = expected.OutputType(i);
            if (outputs[i].Type != type && type.IsFloatingPoint() && outputs[i].Type.IsFloatingPoint())
            {
                outputs[i] = outputs[i].ConvertTo(type);
            }
        }

        return outputs;
    }

    // The node's fixed cost, its inputs, its outputs of known size (each small enough to hold) and its extra work;
    // returns the outputs whose size only the kernel will tell.
    private static List<int> ChargeBeforehand(EvaluationContext context, EvaluationBudget budget)
    {
        var work = EvaluationBudget.NodeWork;
        foreach (var input in context.Inputs)
        {
            work += input.ElementCount + budget.RequireSmallDimensions(input.Shape);
        }

        var pending = new List<int>();
        for (var i = 0; i < context.OutputCount; i++)
        {
            var shape = context.InferredOutputShape(i);
            if (!shape.IsStatic)
            {
                pending.Add(i);
                continue;
            }

            var dims = shape.ToStatic();
            var elements = ElementCountOrMaximum(dims);
            budget.RequireSmallValue(context.OutputType(i), elements);
            work += elements + budget.RequireSmallDimensions(dims);
        }

        budget.Charge(work + context.Op.EvaluationWork(context));
        return pending;
    }

    private static Tensor[] ChargeAfterwards(List<int> pending, Tensor[] outputs, EvaluationBudget budget)
    {
        foreach (var i in pending.Where(i => i < outputs.Length))
        {
            budget.RequireSmallValue(outputs[i].Type, outputs[i].ElementCount);
            budget.Charge(outputs[i].ElementCount);
        }

        return outputs;
    }

    private static long ElementCountOrMaximum(long[] shape)
    {
        try
        {
            return ShapeMath.ElementCount(shape);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    private static Tensor[] Check(OpDefinition op, Tensor[] outputs)
    {
        if (outputs.Any(o => o is null))
        {
            throw new InferenceException($"{op.Type}: the kernel returned no value for an output.");
        }

        return outputs;
    }

    private static Tensor BindParameter(Node parameter, Tensor value)
    {
        var port = parameter.Outputs[0];
        if (value.Type != port.Type)
        {
            throw new ModelBuildException(DiagnosticCode.EvaluationFailed, $"Input '{parameter.Name}' is {port.Type.IrName()}, the value given is {value.Type.IrName()}.");
        }

        if (!port.Shape.IsCompatible(value.PartialShape))
        {
            throw new ModelBuildException(DiagnosticCode.EvaluationFailed, $"Input '{parameter.Name}' has shape {port.Shape.ToDisplayString()}, the value given has {ShapeMath.Format(value.Shape)}.");
        }

        return value;
    }

    private static Dictionary<Output, int> CountUses(List<Node> order)
    {
        var uses = new Dictionary<Output, int>();
        foreach (var node in order)
        {
            foreach (var input in node.Inputs)
            {
                uses[input] = uses.GetValueOrDefault(input) + 1;
            }
        }

        return uses;
    }
}
