using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Core.Verification;

/// <summary>What the graph says about the values an integer input may take.</summary>
public abstract record IntegerInputUse
{
    /// <summary>Only arithmetic, comparisons and other value-agnostic uses: any small values do.</summary>
    public sealed record Free : IntegerInputUse;

    /// <summary>Indices into an axis of <paramref name="Limit"/> elements (Gather, embedding rows, ...): values in [0, Limit).</summary>
    public sealed record Index(long Limit, string Node) : IntegerInputUse;

    /// <summary>Bag offsets into <paramref name="Limit"/> indices (embedding_bag): each row non-decreasing from 0, at most Limit.</summary>
    public sealed record Offsets(long Limit, string Node) : IntegerInputUse;

    /// <summary>Values that shapes, loops or positions depend on in a way the graph does not bound: the user must give them.</summary>
    public sealed record ValueDependent(string Node, string Why) : IntegerInputUse;
}

/// <summary>
/// Follows each integer graph input through the nodes that only move its values (Cast, Reshape, Concat, ...)
/// to the nodes that use them, and tells from those uses which values are valid: indices of a Gather over an
/// axis of known size, embedding_bag offsets, values used only in arithmetic, or values the graph cannot bound
/// (shapes, trip counts, slice positions, subgraphs).
/// </summary>
public static class IndexRangeAnalysis
{
    // Ops that pass their first input's values on, rearranged or repeated: indices stay indices through them.
    private static readonly HashSet<string> MovesValues = new(StringComparer.Ordinal)
    {
        "Identity", "Cast", "CastLike", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat", "Slice", "Split",
        "Expand", "Tile", "Gather", "GatherElements", "GatherND", "Compress", "ReverseSequence", "DepthToSpace", "SpaceToDepth",
    };

    // Ops whose use of an integer input does not depend on its range: any values give a well-defined result.
    private static readonly HashSet<string> ValueAgnostic = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Mod", "Pow", "Neg", "Abs", "Sign", "Max", "Min", "Sum", "Mean", "Equal", "Less", "LessOrEqual",
        "Greater", "GreaterOrEqual", "Not", "And", "Or", "Xor", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot",
        "Where", "Clip", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
        "ArgMax", "ArgMin", "CumSum", "MatMul", "MatMulInteger", "Gemm", "Relu", "IsInf", "IsNaN", "Shape", "Size", "NonZero", "Unique",
        "TopK", "Einsum", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Floor", "Ceil", "Round", "Softmax", "LogSoftmax",
    };

    /// <summary>The use of every integer input named in <paramref name="inputs"/>.</summary>
    /// <param name="graph">The main graph.</param>
    /// <param name="inputs">The integer inputs to analyse.</param>
    /// <param name="staticShape">The static shape of a tensor by name when it is known (initializers, inputs, value_info), else null.</param>
    /// <param name="constantValue">The value of a tensor that is a constant (initializer or Constant node), else null.</param>
    public static Dictionary<string, IntegerInputUse> Analyze(
        GraphProto graph, IEnumerable<string> inputs, Func<string, long[]?> staticShape, Func<string, long[]?> constantValue)
    {
        var consumers = new Dictionary<string, List<(NodeProto Node, int Input)>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i].Length > 0)
                {
                    (consumers.TryGetValue(node.Input[i], out var list) ? list : consumers[node.Input[i]] = []).Add((node, i));
                }
            }
        }

        var subgraphReaders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var name in SubgraphReferences(node))
            {
                subgraphReaders.TryAdd(name, NameOf(node));
            }
        }

        return inputs.ToDictionary(name => name, name => UseOf(name, consumers, subgraphReaders, staticShape, constantValue), StringComparer.Ordinal);
    }

    private static IntegerInputUse UseOf(
        string input, Dictionary<string, List<(NodeProto Node, int Input)>> consumers, Dictionary<string, string> subgraphReaders,
        Func<string, long[]?> staticShape, Func<string, long[]?> constantValue)
    {
        var uses = new List<IntegerInputUse>();
        var carriers = new Queue<string>([input]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { input };
        while (carriers.TryDequeue(out var tensor))
        {
            if (subgraphReaders.TryGetValue(tensor, out var reader))
            {
                return new IntegerInputUse.ValueDependent(reader, $"its subgraph (a Loop, If or Scan body) reads '{tensor}'");
            }

            foreach (var (node, position) in consumers.GetValueOrDefault(tensor) ?? [])
            {
                var use = Classify(node, position, staticShape, constantValue);
                if (use is null)
                {
                    foreach (var output in node.Output.Where(o => o.Length > 0 && seen.Add(o)))
                    {
                        carriers.Enqueue(output);
                    }
                }
                else
                {
                    uses.Add(use);
                }
            }
        }

        if (uses.OfType<IntegerInputUse.ValueDependent>().FirstOrDefault() is { } dependent)
        {
            return dependent;
        }

        var offsets = uses.OfType<IntegerInputUse.Offsets>().MinBy(o => o.Limit);
        var index = uses.OfType<IntegerInputUse.Index>().MinBy(i => i.Limit);
        return offsets is not null && index is not null
            ? new IntegerInputUse.ValueDependent(index.Node, "it is used both as indices and as offsets")
            : (IntegerInputUse?)offsets ?? (IntegerInputUse?)index ?? new IntegerInputUse.Free();
    }

    // Null: the node passes the values on (its outputs carry them). Else what this use requires.
    private static IntegerInputUse? Classify(NodeProto node, int position, Func<string, long[]?> staticShape, Func<string, long[]?> constantValue)
    {
        var name = NameOf(node);
        var domain = OnnxDomains.Normalize(node.Domain);
        if (domain == OnnxDomains.Default && node.OpType == "ATen" || domain == OnnxDomains.PyTorchAten)
        {
            return EmbeddingBag(node, position, name, staticShape);
        }

        if (domain != OnnxDomains.Default)
        {
            return new IntegerInputUse.ValueDependent(name, $"the operator {node.Domain}.{node.OpType} is not known to verify");
        }

        switch (node.OpType, position)
        {
            case ("Gather" or "GatherElements", 1):
            case ("Scatter" or "ScatterElements", 1):
                return AxisIndex(node, name, staticShape(node.Input[0]), Attribute(node, "axis") ?? 0);
            case ("GatherND" or "ScatterND", 1):
                var data = staticShape(node.Input[0]);
                var batchDims = (int)(Attribute(node, "batch_dims") ?? 0);
                return data is null || data.Length <= batchDims
                    ? Unbounded(name, node.Input[0])
                    : new IntegerInputUse.Index(data.Skip(batchDims).Min(), name);
            case ("OneHot", 0):
                return node.Input.Count > 1 && constantValue(node.Input[1]) is [var depth]
                    ? new IntegerInputUse.Index(depth, name)
                    : Unbounded(name, node.Input[1]);
            case (_, 0) when MovesValues.Contains(node.OpType):
                return null;
            case ("Concat", _):
                return null;
            case (_, _) when ValueAgnostic.Contains(node.OpType):
                return new IntegerInputUse.Free();
            default:
                return new IntegerInputUse.ValueDependent(name, $"it is input {position} of {node.OpType}, whose result depends on the values");
        }
    }

    // PyTorch's ATen embedding_bag(weight, indices, offsets, ...): indices are rows of the weight, offsets start each bag.
    private static IntegerInputUse EmbeddingBag(NodeProto node, int position, string name, Func<string, long[]?> staticShape)
    {
        var op = node.Attribute.FirstOrDefault(a => a.Name == "operator")?.S.ToStringUtf8();
        if (op != "embedding_bag" || position is not (1 or 2))
        {
            return new IntegerInputUse.ValueDependent(name, $"it is input {position} of ATen {op}");
        }

        if (position == 1)
        {
            return staticShape(node.Input[0]) is [var rows, ..] ? new IntegerInputUse.Index(rows, name) : Unbounded(name, node.Input[0]);
        }

        return staticShape(node.Input[1]) is [var count] ? new IntegerInputUse.Offsets(count, name) : Unbounded(name, node.Input[1]);
    }

    private static IntegerInputUse AxisIndex(NodeProto node, string name, long[]? data, long axis)
    {
        if (data is null)
        {
            return Unbounded(name, node.Input[0]);
        }

        var normalized = axis < 0 ? axis + data.Length : axis;
        return normalized >= 0 && normalized < data.Length
            ? new IntegerInputUse.Index(data[normalized], name)
            : new IntegerInputUse.ValueDependent(name, $"its axis {axis} is outside the data's rank {data.Length}");
    }

    private static IntegerInputUse.ValueDependent Unbounded(string node, string tensor) =>
        new(node, $"it indexes '{tensor}', whose shape is not known before running the model");

    private static string NameOf(NodeProto node) => string.IsNullOrEmpty(node.Name) ? node.OpType : node.Name;

    private static long? Attribute(NodeProto node, string attributeName) =>
        node.Attribute.FirstOrDefault(a => a.Name == attributeName) is { } attribute ? attribute.I : null;

    // Every name a subgraph of this node reads (outer-scope values are read by name, without being node inputs).
    private static IEnumerable<string> SubgraphReferences(NodeProto node) =>
        node.Attribute.SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Append(a.G)).SelectMany(g => g.Node.SelectMany(n => n.Input.Concat(SubgraphReferences(n))));
}
