using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms;

/// <summary>
/// Folds every node whose value is known at conversion time into constants, across the model and
/// its bodies. Translation already folds as it builds; this pass catches what graph edits after
/// translation (overrides, cuts, other transforms) made constant.
/// </summary>
public static class ConstantFoldingPass
{
    /// <summary>Returns the number of nodes folded; evaluation runs within <paramref name="budget"/>.</summary>
    public static int Run(Model model, EvaluationBudget budget)
    {
        var folded = 0;
        var replacements = new Replacements();
        foreach (var node in model.OrderedNodes())
        {
            replacements.Rewire(node);

            foreach (var body in node.Bodies)
            {
                folded += Run(body.Graph, budget);
            }

            if (node.Op is ResultOp || node.Inputs.Count == 0)
            {
                continue;
            }

            if (ConstantFolder.TryFold(node, budget) is { } outputs)
            {
                for (var i = 0; i < outputs.Length; i++)
                {
                    replacements.Add(node.Output(i), outputs[i]);
                }

                folded++;
            }
        }

        return folded;
    }
}
