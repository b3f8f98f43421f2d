using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Benchmarks;

/// <summary>
/// Builds an ONNX model node by node, with pseudo-random weights from a fixed seed, so the generated
/// benchmark models are the same on every machine and every run.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly ModelProto _model;
    private readonly Random _random;
    private int _nextValue;

    public OnnxGraphWriter(string name, int opset, int seed)
    {
        _model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild evaluator benchmark", Graph = new GraphProto { Name = name } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Version = opset });
        _random = new Random(seed);
    }

    /// <summary>Weight bytes written so far.</summary>
    public long WeightBytes { get; private set; }

    public int Count(string op) => _model.Graph.Node.Count(n => n.OpType == op);

    public void Input(string name, ElementType type, params long[] dims) => _model.Graph.Input.Add(Info(name, type, dims));

    public void Output(string name, ElementType type) =>
        _model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type) } } });

    /// <summary>An f32 initializer of values uniform in [-bound, bound].</summary>
    public string Floats(string name, long[] shape, double bound)
    {
        var values = new float[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((_random.NextDouble() * 2 - 1) * bound);
        }

        return Initializer(Tensor.FromArray(values, shape), name);
    }

    /// <summary>A u8 initializer of values uniform in [center - spread, center + spread].</summary>
    public string Bytes(string name, long[] shape, int center, int spread)
    {
        var values = new byte[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (byte)_random.Next(center - spread, center + spread + 1);
        }

        return Initializer(new Tensor(ElementType.U8, shape, values), name);
    }

    public string Initializer(Tensor value, string name)
    {
        _model.Graph.Initializer.Add(OnnxTensors.FromTensor(value, name));
        WeightBytes += value.ToBytes().Length;
        return name;
    }

    /// <summary>Adds a node with one output; returns its name.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes) => Node(op, inputs, outputs: 1, attributes)[0];

    public string[] Node(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_nextValue}" };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"v{_nextValue}_{i}").ToArray();
        _nextValue++;
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _model.Graph.Node.Add(node);
        return names;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, _model.ToByteArray());
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static ValueInfoProto Info(string name, ElementType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type), Shape = shape } } };
    }
}
