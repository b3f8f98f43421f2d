using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Testing;

/// <summary>Builds small ONNX models in tests, so every test model is generated, not checked in.</summary>
public sealed class OnnxGraphBuilder
{
    private readonly ModelProto _model;

    public OnnxGraphBuilder(long opset = 17, string name = "test_graph")
    {
        _model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild.Tests", Graph = new GraphProto { Name = name } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public GraphProto Graph => _model.Graph;

    public ModelProto Model => _model;

    public OnnxGraphBuilder Input(string name, ElementType type, params long[] shape)
    {
        _model.Graph.Input.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>An input whose dims may be dynamic: -1 is an unnamed dynamic dim.</summary>
    public OnnxGraphBuilder DynamicInput(string name, ElementType type, params long[] shape)
    {
        var info = ValueInfo(name, type, []);
        foreach (var dim in shape)
        {
            info.Type.TensorType.Shape.Dim.Add(dim < 0 ? new TensorShapeProto.Types.Dimension { DimParam = $"d{info.Type.TensorType.Shape.Dim.Count}" } : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        _model.Graph.Input.Add(info);
        return this;
    }

    public OnnxGraphBuilder Output(string name, ElementType type, params long[] shape)
    {
        _model.Graph.Output.Add(ValueInfo(name, type, shape));
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, Tensor value)
    {
        _model.Graph.Initializer.Add(OnnxTensors.FromTensor(value, name));
        return this;
    }

    /// <summary>
    /// An initializer stored as ONNX external data: its bytes are appended to <paramref name="dataFile"/>
    /// (relative to <paramref name="folder"/>) and the tensor records location, offset and length.
    /// </summary>
    public OnnxGraphBuilder ExternalInitializer(string name, Tensor value, string folder, string dataFile)
    {
        var path = System.IO.Path.Combine(folder, dataFile);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var offset = File.Exists(path) ? new FileInfo(path).Length : 0;
        var bytes = value.ToBytes();
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(bytes);
        }

        var tensor = new TensorProto { Name = name, DataType = OnnxTensors.ToOnnxType(value.Type), DataLocation = TensorProto.Types.DataLocation.External };
        tensor.Dims.AddRange(value.Shape);
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataFile });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_model.Graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _model.Graph.Node.Add(node);
        return this;
    }

    public static AttributeProto Int(string name, long value) => OnnxAttributes.Int(name, value);

    public static AttributeProto Ints(string name, params long[] values) => OnnxAttributes.Ints(name, values);

    public static AttributeProto Float(string name, float value) => OnnxAttributes.Float(name, value);

    public static AttributeProto String(string name, string value) => OnnxAttributes.String(name, value);

    public static AttributeProto TensorValue(string name, Tensor value) => OnnxAttributes.Tensor(name, OnnxTensors.FromTensor(value, name));

    public static AttributeProto Floats(string name, params float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>A graph attribute (Loop/Scan body, If branch) built with another builder.</summary>
    public static AttributeProto GraphValue(string name, OnnxGraphBuilder body) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = body.Graph };

    /// <summary>A node of another domain; the domain is imported at <paramref name="opset"/>.</summary>
    public OnnxGraphBuilder DomainNode(string domain, long opset, string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        Node(opType, inputs, outputs, attributes);
        _model.Graph.Node[^1].Domain = domain;
        if (_model.OpsetImport.All(o => o.Domain != domain))
        {
            _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = opset });
        }

        return this;
    }

    /// <summary>A graph output that is a sequence of tensors.</summary>
    public OnnxGraphBuilder SequenceOutput(string name, ElementType elementType)
    {
        var element = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(elementType) } };
        _model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = element } } });
        return this;
    }

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public string Save(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>The model as an ONNX protobuf.</summary>
    public byte[] ToBytes() => _model.ToByteArray();

    private static ValueInfoProto ValueInfo(string name, ElementType type, long[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type), Shape = new TensorShapeProto() };
        foreach (var dim in shape)
        {
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
