using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Replaces a node by Const nodes when its value is known at conversion time: every input is a
/// constant small enough to evaluate, or inference already worked out the value (ShapeOf of a
/// static shape and what is computed from it). Evaluation runs within the conversion's
/// <see cref="EvaluationBudget"/>: a node whose value would cost more stays, unevaluated.
/// </summary>
public static class ConstantFolder
{
    /// <summary>The folded outputs (names carried over), or null when the node must stay.</summary>
    public static Output[]? TryFold(Node node, EvaluationBudget budget)
    {
        if (!node.Op.IsFoldable || node.FoldingDisabled || node.Bodies.Count > 0 && node.Inputs.Count == 0)
        {
            return null;
        }

        var fromSymbols = FoldKnownValues(node);
        if (fromSymbols is not null)
        {
            return fromSymbols;
        }

        // Every input must be a small constant before any is materialized: a weight feeding a node with a
        // runtime input (Gather of an embedding table by ids) is never read into memory.
        if (!node.Inputs.All(input => input.Node.Constant is { IsSmallEnoughToMaterialize: true }))
        {
            return null;
        }

        var inputs = node.Inputs.Select(input => input.Node.Constant!.GetValue()).ToArray();
        var outputs = budget.Fold(() => ReferenceEvaluator.EvaluateNode(node, inputs, budget));
        return outputs is null ? null : ToConstants(node, outputs);
    }

    private static Output[]? FoldKnownValues(Node node)
    {
        if (node.Outputs.Count == 0 || node.Inputs.Count == 0)
        {
            return null;
        }

        var values = new Tensor[node.Outputs.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var port = node.Outputs[i];
            var symbolic = port.SymbolicValue;
            if (symbolic is null || !symbolic.IsStatic || !port.Shape.IsStatic || !port.Type.IsInteger())
            {
                return null;
            }

            values[i] = Tensor.FromInt64s(port.Type, symbolic.ToStatic(), port.Shape.ToStatic());
        }

        return ToConstants(node, values);
    }

    private static Output[] ToConstants(Node node, Tensor[] values)
    {
        var outputs = new Output[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var constant = Node.CreateConstant(values[i]);
            constant.Outputs[0].Names.UnionWith(node.Outputs[i].Names);
            if (node.Name is not null && values.Length == 1)
            {
                constant.Name = node.Name;
            }

            outputs[i] = constant.Output();
        }

        return outputs;
    }
}
