using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>What a downgrade rule sees: the node to replace, which of its outputs are used, the target, and a builder.</summary>
public sealed class DowngradeContext
{
    private readonly bool[] _used;

    internal DowngradeContext(Node node, bool[] used, OpenVinoRelease target)
    {
        Node = node;
        _used = used;
        Target = target;
    }

    public Node Node { get; }

    public OpenVinoRelease Target { get; }

    public GraphBuilder Graph { get; } = new();

    public Attributes Attributes => Node.Attributes;

    public Output Input(int index) => Node.Inputs[index];

    /// <summary>Whether anything consumes output <paramref name="index"/> of the node.</summary>
    public bool IsUsed(int index) => _used[index];

    /// <summary>
    /// The node as <paramref name="older"/>: the same inputs (or <paramref name="inputs"/>) and the attributes the older
    /// version declares, with <paramref name="changes"/>.
    /// </summary>
    public IReadOnlyList<Output> As(OpDefinition older, IReadOnlyList<Output>? inputs = null, params (string Name, object Value)[] changes)
    {
        var attributes = older.AttributeSpecs
            .Where(spec => Attributes.Contains(spec.Name))
            .ToDictionary(spec => spec.Name, spec => Attributes.Values[spec.Name], StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            attributes[name] = value;
        }

        return Graph.MakeMulti(older, inputs ?? Node.Inputs, attributes);
    }

    /// <summary>The error for a node the target cannot express: names the node, the op, the first release that has it, and why.</summary>
    public ModelBuildException Refuse(string reason)
    {
        var first = OpenVinoReleases.FirstWith(Node.Op.Version);
        var since = first is null ? $"is newer than every OpenVINO release ModelBuild knows" : $"is first in OpenVINO {first.Name}";
        return new ModelBuildException(DiagnosticCode.OpUnavailableInTarget,
            $"{Node.Type}-{Node.Op.OpsetName} {since}; the target OpenVINO {Target} has no equivalent for this node: {reason}. "
            + $"Target {first?.Name ?? "a newer release"} or later (--target_openvino, ModelBuildTargetOpenVino).",
            node: Node.Name ?? Node.Type);
    }
}
