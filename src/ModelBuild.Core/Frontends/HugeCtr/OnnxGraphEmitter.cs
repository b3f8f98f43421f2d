using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// Builds the ONNX graph the way hugectr2onnx lays it out: nodes and initializers appended in layer
/// order, unnamed nodes with attributes sorted by name, graph inputs and outputs whose batch
/// dimension has neither value nor name, opset 10 and IR version 7. Initializer bytes are not copied
/// into the protobuf: each initializer keeps a <see cref="TensorData"/> (a region of the dense model
/// file, a sparse table assembled from its files) that the ONNX writer or the IR writer streams.
/// </summary>
internal sealed class OnnxGraphEmitter
{
    public const long IrVersion = 7;
    public const long Opset = 10;

    private readonly GraphProto _graph;
    private readonly Dictionary<TensorProto, TensorData> _payloads = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _taken;

    /// <param name="reservedNames">The tensor names of the graph config: generated names never take one of them.</param>
    public OnnxGraphEmitter(string graphName, IEnumerable<string> reservedNames)
    {
        _graph = new GraphProto { Name = graphName };
        _taken = new HashSet<string>(reservedNames, StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="wanted"/>, or when a tensor of that name exists already <paramref name="wanted"/>
    /// with the first free suffix <c>_1</c>, <c>_2</c>... The original converter's fixed or derived
    /// names can collide (two MultiHeadAttention layers both write <c>raw_score_prediv</c>; an n-ary Add
    /// writes <c>&lt;top&gt;1</c>); without a collision the name is exactly the original one.
    /// </summary>
    public string NewName(string wanted)
    {
        var name = wanted;
        for (var i = 1; !_taken.Add(name); i++)
        {
            name = $"{wanted}_{i}";
        }

        return name;
    }

    /// <summary>Appends a node writing <paramref name="output"/> and returns that name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes.OrderBy(a => a.Name, StringComparer.Ordinal));
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Appends a node writing a new intermediate tensor named after <paramref name="wanted"/>.</summary>
    public string Intermediate(string opType, IReadOnlyList<string> inputs, string wanted, params AttributeProto[] attributes) =>
        Node(opType, inputs, NewName(wanted), attributes);

    /// <summary>Appends an initializer whose bytes (in the IR layout of <paramref name="type"/>) stay in <paramref name="data"/>.</summary>
    public string Initializer(string wanted, ElementType type, long[] dims, TensorData data)
    {
        var tensor = new TensorProto { Name = NewName(wanted), DataType = OnnxTensors.ToOnnxType(type) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        _payloads.Add(tensor, data);
        return tensor.Name;
    }

    /// <summary>A 1-D INT64 initializer (shapes, axes, indices).</summary>
    public string Int64s(string wanted, params long[] values) =>
        Initializer(wanted, ElementType.I64, [values.Length], TensorData.FromBytes(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    /// <summary>A FLOAT initializer of shape <paramref name="dims"/>.</summary>
    public string Floats(string wanted, long[] dims, params float[] values) =>
        Initializer(wanted, ElementType.F32, dims, TensorData.FromBytes(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    /// <summary>A FLOAT[1] initializer (scalars such as epsilons and scale factors).</summary>
    public string Float(string wanted, float value) => Floats(wanted, [1], value);

    public void Input(string name, ElementType type, SampleShape shape) => _graph.Input.Add(ValueInfo(name, type, shape));

    public void Output(string name, ElementType type, SampleShape shape) => _graph.Output.Add(ValueInfo(name, type, shape));

    /// <summary>The finished model; <paramref name="sourcePath"/> is what errors about it name.</summary>
    public OnnxModel ToModel(string sourcePath, MappedFileSet files)
    {
        var model = new ModelProto { IrVersion = IrVersion, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxDomains.Default, Version = Opset });
        return new OnnxModel(sourcePath, model, files, _payloads);
    }

    // The batch dimension is a Dimension with neither dim_value nor dim_param, as the original writes it.
    private static ValueInfoProto ValueInfo(string name, ElementType type, SampleShape shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type), Shape = new TensorShapeProto() };
        tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension());
        foreach (var dim in shape.Dims)
        {
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
