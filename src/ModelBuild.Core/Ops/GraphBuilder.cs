using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Creates nodes for translators and transforms. Every node is inferred on creation and folded into
/// constants right away when its value is known, so later shape inference sees constants and
/// shape subgraphs collapse as the graph is built.
/// </summary>
public sealed class GraphBuilder
{
    /// <param name="budget">What folding may compute: a conversion's budget, shared by all its folds; none (outside a conversion: tests, tools) is unlimited.</param>
    /// <param name="foldConstants">False: nodes stay as created, even on constant inputs.</param>
    public GraphBuilder(EvaluationBudget? budget = null, bool foldConstants = true)
    {
        Budget = budget ?? EvaluationBudget.Unlimited();
        FoldConstants = foldConstants;
    }

    public bool FoldConstants { get; }

    /// <summary>The conversion's evaluation budget, shared by every fold.</summary>
    public EvaluationBudget Budget { get; }

    /// <summary>Creates an op and returns all its outputs (constants when folded).</summary>
    public Output[] MakeMulti(OpDefinition op, IReadOnlyList<Output> inputs, IReadOnlyDictionary<string, object>? attributes = null, IReadOnlyList<Body>? bodies = null)
    {
        var node = Node.Create(op, inputs, attributes, bodies);
        return (FoldConstants ? ConstantFolder.TryFold(node, Budget) : null)
            ?? Enumerable.Range(0, node.Outputs.Count).Select(node.Output).ToArray();
    }

    /// <summary>Creates an op and returns all its outputs; attributes as (name, value) pairs.</summary>
    public Output[] MakeMulti(OpDefinition op, IReadOnlyList<Output> inputs, params (string Name, object Value)[] attributes) =>
        MakeMulti(op, inputs, ToDictionary(attributes));

    /// <summary>Creates an op with one (or a first) output and returns it.</summary>
    public Output Make(OpDefinition op, IReadOnlyList<Output> inputs, params (string Name, object Value)[] attributes) =>
        MakeMulti(op, inputs, ToDictionary(attributes))[0];

    /// <summary>Creates an op that constant folding leaves in place even on constant inputs (see <see cref="Node.FoldingDisabled"/>).</summary>
    public Output MakeUnfolded(OpDefinition op, IReadOnlyList<Output> inputs, params (string Name, object Value)[] attributes)
    {
        var node = Node.Create(op, inputs, ToDictionary(attributes));
        node.FoldingDisabled = true;
        return node.Output();
    }

    public Output Constant(Tensor value) => Node.CreateConstant(value).Output();

    /// <summary>A 1-D i64 constant.</summary>
    public Output Int64s(params long[] values) => Constant(Tensor.FromArray(values, values.Length));

    /// <summary>A 0-D i64 constant.</summary>
    public Output Int64(long value) => Constant(Tensor.FromArray([value], []));

    /// <summary>A 0-D constant of <paramref name="type"/>.</summary>
    public Output Scalar(ElementType type, double value) => Constant(Tensor.Scalar(type, value));

    private static Dictionary<string, object>? ToDictionary((string Name, object Value)[] attributes)
    {
        if (attributes.Length == 0)
        {
            return null;
        }

        var dictionary = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            dictionary[name] = value;
        }

        return dictionary;
    }
}
