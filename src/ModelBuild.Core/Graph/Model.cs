namespace ModelBuild.Core.Graph;

/// <summary>
/// A graph with ordered inputs (Parameters) and outputs (Results): the main model or a subgraph body.
/// Nodes are reachable from the Results; the Parameters are kept even when nothing uses them.
/// </summary>
public sealed class Model
{
    public Model(string name, IEnumerable<Node> parameters, IEnumerable<Node> results)
    {
        Name = name;
        Parameters = parameters.ToList();
        Results = results.ToList();
    }

    public string Name { get; set; }

    public List<Node> Parameters { get; }

    public List<Node> Results { get; }

    /// <summary>Net-level rt_info <c>conversion_parameters</c>: the non-default options the model was converted with.</summary>
    public List<KeyValuePair<string, string>> ConversionParameters { get; } = [];

    /// <summary>
    /// Every node once, producers before consumers: Parameters first (in input order), then the
    /// other nodes in a deterministic depth-first order from the Results, then the Results (in
    /// output order). The same graph always gives the same order.
    /// </summary>
    public List<Node> OrderedNodes()
    {
        var ordered = new List<Node>();
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in Parameters)
        {
            visited.Add(parameter);
            ordered.Add(parameter);
        }

        var results = new HashSet<Node>(Results, ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node Node, int NextInput)>();
        foreach (var result in Results)
        {
            stack.Push((result, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next == 0 && visited.Contains(node))
                {
                    continue;
                }

                if (next < node.Inputs.Count)
                {
                    stack.Push((node, next + 1));
                    var producer = node.Inputs[next].Node;
                    if (!visited.Contains(producer))
                    {
                        stack.Push((producer, 0));
                    }

                    continue;
                }

                if (visited.Add(node) && !results.Contains(node))
                {
                    ordered.Add(node);
                }
            }
        }

        ordered.AddRange(Results);
        return ordered;
    }

    /// <summary>For every output of every node, the inputs it feeds (node, input index).</summary>
    public Dictionary<Output, List<(Node Consumer, int Input)>> Consumers()
    {
        var consumers = new Dictionary<Output, List<(Node, int)>>();
        foreach (var node in OrderedNodes())
        {
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                if (!consumers.TryGetValue(node.Inputs[i], out var list))
                {
                    consumers[node.Inputs[i]] = list = [];
                }

                list.Add((node, i));
            }
        }

        return consumers;
    }
}
