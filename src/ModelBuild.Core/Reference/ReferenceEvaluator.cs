using System.Diagnostics;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>
/// Executes a graph of OpenVINO ops with the ops' reference kernels. One evaluator serves constant
/// folding, <c>modelconvert verify</c> and the tests that run produced IR against expected outputs.
/// Exact to the op specifications first; heavy kernels are blocked, vectorized and parallel on a few shared cores
/// (docs/architecture.md, "How the evaluator's heavy kernels are built").
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="inputs"/> (one per Parameter, in order) and returns one tensor per Result.
    /// <paramref name="nodeEvaluated"/>, when given, learns how long each node took (profiles, the evaluator benchmark).
    /// </summary>
    public static IReadOnlyList<Tensor> Run(Model model, IReadOnlyList<Tensor> inputs, Action<Node, TimeSpan>? nodeEvaluated = null)
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

            var started = nodeEvaluated is null ? 0 : Stopwatch.GetTimestamp();
            var outputs = EvaluateNode(node, arguments);
            nodeEvaluated?.Invoke(node, Stopwatch.GetElapsedTime(started));
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

    /// <summary>Evaluates one node on concrete inputs; errors name the node.</summary>
    public static Tensor[] EvaluateNode(Node node, IReadOnlyList<Tensor> inputs)
    {
        try
        {
            return Evaluate(node.Op, node.Attributes, node.Bodies, node.Constant, inputs);
        }
        catch (InferenceException error)
        {
            throw new ModelBuildException(DiagnosticCode.EvaluationFailed, error.Message, node: node.Name ?? node.Type);
        }
    }

    /// <summary>Evaluates an op on concrete inputs, applying the low-precision policy of <see cref="OpDefinition.EvaluatesLowPrecision"/>.</summary>
    public static Tensor[] Evaluate(OpDefinition op, Attributes attributes, IReadOnlyList<Body> bodies, ConstantPayload? constant, IReadOnlyList<Tensor> inputs)
    {
        var lowPrecision = !op.EvaluatesLowPrecision && inputs.Any(t => t.Type is ElementType.F16 or ElementType.BF16);
        if (!lowPrecision)
        {
            return Check(op, op.Evaluate(new EvaluationContext(op, attributes, inputs, bodies, RunBody, constant)));
        }

        // Kernels compute f16/bf16 in f32; results are rounded back to the types inference expects.
        var expected = new EvaluationContext(op, attributes, inputs, bodies, RunBody, constant);
        var widened = inputs.Select(t => t.Type is ElementType.F16 or ElementType.BF16 ? t.ConvertTo(ElementType.F32) : t).ToArray();
        var outputs = Check(op, op.Evaluate(new EvaluationContext(op, attributes, widened, bodies, RunBody, constant)));
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

    private static IReadOnlyList<Tensor> RunBody(Model body, IReadOnlyList<Tensor> parameters) => Run(body, parameters);

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
