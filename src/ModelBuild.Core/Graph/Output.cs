namespace ModelBuild.Core.Graph;

/// <summary>A reference to one output of a node: what an input of another node is connected to.</summary>
public readonly record struct Output(Node Node, int Index)
{
    public OutputPort Port => Node.Outputs[Index];

    public ElementType Type => Port.Type;

    public PartialShape Shape => Port.Shape;

    public ISet<string> Names => Port.Names;

    public bool IsConstant => Node.Op.IsConstant;

    public override string ToString() => $"{Node.Name ?? Node.Type}:{Index}";
}

/// <summary>
/// What is known about one output: its element type and shape, the tensor names attached to it, and
/// for small integer tensors the value itself as far as shape inference could work it out.
/// </summary>
public sealed class OutputPort
{
    public OutputPort(ElementType type, PartialShape shape)
    {
        Type = type;
        Shape = shape;
    }

    public ElementType Type { get; internal set; }

    public PartialShape Shape { get; internal set; }

    /// <summary>Tensor names (ONNX value names); written sorted on the IR port.</summary>
    public SortedSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// For 0-D/1-D integer outputs in shape computations: each element as an interval (a dimension).
    /// Lets Reshape, Broadcast and friends keep static dims that flow through ShapeOf subgraphs even
    /// when other dims are dynamic. Null when unknown.
    /// </summary>
    public PartialShape? SymbolicValue { get; internal set; }
}
