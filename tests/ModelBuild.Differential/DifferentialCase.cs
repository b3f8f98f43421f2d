using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Differential;

/// <summary>
/// One generated case: a small ONNX model around one op (<see cref="Op"/>, the op the case is about and is listed
/// under), the values of its graph inputs, and the tolerance floats are compared with.
/// </summary>
public sealed record DifferentialCase(
    string Op, string Description, byte[] Model, IReadOnlyDictionary<string, Tensor> Inputs, IReadOnlyList<string> Outputs, double RelativeTolerance, double AbsoluteTolerance);

/// <summary>Builds one case's model: graph inputs with their values, initializers, nodes, and the outputs to compare.</summary>
public sealed class CaseBuilder
{
    private readonly ModelProto _model;
    private readonly Dictionary<string, ElementType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _inputs = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private int _names;

    public CaseBuilder(Random random, string op, int opset)
    {
        Random = random;
        Op = op;
        Opset = opset;
        _model = new ModelProto { IrVersion = 9, ProducerName = "ModelBuild.Differential", Graph = new GraphProto { Name = op } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public Random Random { get; }

    public string Op { get; }

    public int Opset { get; }

    public double RelativeTolerance { get; set; } = 1e-4;

    public double AbsoluteTolerance { get; set; } = 1e-5;

    public GraphProto Graph => _model.Graph;

    /// <summary>A graph input with the given values.</summary>
    public string Input(Tensor value)
    {
        var name = $"in{_inputs.Count}";
        _model.Graph.Input.Add(ValueInfo(name, value.Type, value.Shape));
        _inputs[name] = value;
        _types[name] = value.Type;
        Note($"{name}: {value.Type.IrName()}{ShapeMath.Format(value.Shape)}");
        return name;
    }

    /// <summary>An initializer: attributes-like operands (shapes, axes, indices) that the graph sees as constants.</summary>
    public string Constant(Tensor value)
    {
        var name = $"c{_model.Graph.Initializer.Count}";
        _model.Graph.Initializer.Add(OnnxTensors.FromTensor(value, name));
        _types[name] = value.Type;
        return name;
    }

    /// <summary>Adds a node; its outputs get the given element types. An empty input name is an omitted optional input.</summary>
    public string[] Node(string opType, string[] inputs, ElementType[] outputTypes, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_model.Graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        var outputs = outputTypes.Select(type =>
        {
            var name = $"t{_names++}";
            _types[name] = type;
            return name;
        }).ToArray();
        node.Output.AddRange(outputs);
        _model.Graph.Node.Add(node);
        if (attributes.Length > 0)
        {
            Note($"{opType}({string.Join(", ", attributes.Select(Describe))})");
        }

        return outputs;
    }

    /// <summary>A node with one output of the given type.</summary>
    public string Node1(string opType, string[] inputs, ElementType outputType, params AttributeProto[] attributes) =>
        Node(opType, inputs, [outputType], attributes)[0];

    public ElementType TypeOf(string name) => _types[name];

    /// <summary>Compares <paramref name="name"/>; its element type is known from the node or input that made it.</summary>
    public void Output(string name) => _model.Graph.Output.Add(ValueInfo(name, _types[name], null));

    public void Note(string text) => _notes.Add(text);

    public DifferentialCase Build() =>
        new(Op, string.Join("; ", _notes), _model.ToByteArray(), _inputs, _model.Graph.Output.Select(o => o.Name).ToList(), RelativeTolerance, AbsoluteTolerance);

    private static string Describe(AttributeProto attribute) => attribute.Type switch
    {
        AttributeProto.Types.AttributeType.Int => $"{attribute.Name}={attribute.I}",
        AttributeProto.Types.AttributeType.Float => FormattableString.Invariant($"{attribute.Name}={attribute.F}"),
        AttributeProto.Types.AttributeType.Ints => $"{attribute.Name}=[{string.Join(",", attribute.Ints)}]",
        AttributeProto.Types.AttributeType.String => $"{attribute.Name}={attribute.S.ToStringUtf8()}",
        AttributeProto.Types.AttributeType.Graph => $"{attribute.Name}=<graph>",
        _ => attribute.Name,
    };

    private static ValueInfoProto ValueInfo(string name, ElementType type, long[]? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type) };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            tensor.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
