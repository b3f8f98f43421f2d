using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Transforms;

/// <summary>Outputs a pass replaced, and the rewiring of later nodes to their replacements, as a pass walks the graph in order.</summary>
internal sealed class Replacements
{
    private readonly Dictionary<Output, Output> _byOutput = [];

    public void Add(Output original, Output replacement) => _byOutput[original] = replacement;

    /// <summary>Points the node's inputs at the replacements of what they read, and infers it again when one changed.</summary>
    public void Rewire(Node node)
    {
        var changed = false;
        for (var i = 0; i < node.Inputs.Count; i++)
        {
            if (_byOutput.TryGetValue(node.Inputs[i], out var replacement))
            {
                node.SetInput(i, replacement);
                changed = true;
            }
        }

        if (changed)
        {
            node.Infer();
        }
    }
}
