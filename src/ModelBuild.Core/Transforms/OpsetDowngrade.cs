using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Transforms.Downgrades;

namespace ModelBuild.Core.Transforms;

/// <summary>
/// Writes a translated model for an older OpenVINO release: every node whose op version the target does not read
/// is replaced, through its rule in <see cref="DowngradeTable"/>, by an older version of the op where that version's
/// semantics cover the node, or by an exact decomposition into older ops; otherwise conversion fails with MB2008,
/// naming the node, the op and the first release that has it. Replacements keep the node's tensor names, and its
/// friendly name goes to the op that now produces its (first used) output. The newest target changes nothing.
/// </summary>
public static class OpsetDowngrade
{
    /// <summary>Rewrites the model (and its bodies) in place; returns how many nodes were replaced.</summary>
    /// <exception cref="ModelBuildException">A node has no equivalent in the target (MB2008).</exception>
    public static int Run(Model model, OpenVinoRelease target)
    {
        var replaced = 0;
        var replacements = new Replacements();
        var consumers = model.Consumers();
        foreach (var node in model.OrderedNodes())
        {
            replacements.Rewire(node);

            foreach (var body in node.Bodies)
            {
                replaced += Run(body.Graph, target);
            }

            if (node.Op.Version <= target.Opset)
            {
                continue;
            }

            var used = Enumerable.Range(0, node.Outputs.Count).Select(i => consumers.ContainsKey(node.Output(i))).ToArray();
            var context = new DowngradeContext(node, used, target);
            var rule = DowngradeTable.Find(node.Op) ?? throw context.Refuse("ModelBuild has no older form of this op");
            var outputs = rule(context);
            CheckWritable(context, outputs);
            for (var i = 0; i < outputs.Count; i++)
            {
                outputs[i].Names.UnionWith(node.Output(i).Names);
                replacements.Add(node.Output(i), outputs[i]);
            }

            if (Enumerable.Range(0, outputs.Count).FirstOrDefault(i => used[i]) is var first && outputs[first].Node.Op is not (ParameterOp or ConstantOp))
            {
                outputs[first].Node.Name = node.Name;
            }

            replaced++;
        }

        return replaced;
    }

    // A rule must only build ops the target reads: anything newer is a defect of the rule, caught here rather than at load time.
    private static void CheckWritable(DowngradeContext context, IReadOnlyList<Output> outputs)
    {
        var pending = new Stack<Node>(outputs.Select(o => o.Node));
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var node))
        {
            if (node == context.Node || !seen.Add(node) || context.Node.Inputs.Any(input => input.Node == node))
            {
                continue;
            }

            if (node.Op.Version > context.Target.Opset)
            {
                throw new InvalidOperationException($"The downgrade of {context.Node.Op} built {node.Op}, which {context.Target} does not read.");
            }

            foreach (var input in node.Inputs)
            {
                pending.Push(input.Node);
            }
        }
    }
}
