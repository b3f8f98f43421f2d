using Google.Protobuf;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using AttributeType = ModelBuild.Core.Onnx.Wire.AttributeProto.Types.AttributeType;
using DataType = ModelBuild.Core.Onnx.Wire.TensorProto.Types.DataType;

namespace ModelBuild.Fuzzing.Inputs;

/// <summary>
/// Small models that ask for unbounded work or memory at conversion time: a Loop of 2^62 trips on
/// constants, huge declared shapes, generators (Range, Tile, Expand, ConstantOfShape) whose folded
/// result would pass the evaluation budget, a Loop whose carried value doubles, and 100,000-node
/// chains. Each must convert (or be refused) in bounded time and memory. They seed the fuzzer too.
/// </summary>
public static class HostileModels
{
    public const long ChainLength = 100_000;

    /// <summary>Every hostile model, by name.</summary>
    public static IReadOnlyDictionary<string, ModelProto> All() => new SortedDictionary<string, ModelProto>(StringComparer.Ordinal)
    {
        ["loop_2pow62_trips"] = LoopOfTrips(1L << 62, doubling: false),
        ["loop_doubling_value"] = LoopOfTrips(1L << 62, doubling: true),
        ["input_of_huge_declared_shape"] = HugeDeclaredInput(),
        ["initializer_of_huge_declared_shape"] = HugeDeclaredInitializer(),
        ["range_2pow40"] = Generator("Range", [Int64("start", 0), Int64("limit", 1L << 40), Int64("delta", 1)], ["start", "limit", "delta"]),
        ["tile_2pow40"] = Generator("Tile", [Float32("x", [2, 2], 1, 2, 3, 4), Int64s("repeats", 1L << 20, 1L << 20)], ["x", "repeats"]),
        ["expand_2pow40"] = Generator("Expand", [Float32("x", [1], 1), Int64s("shape", 1L << 30, 1L << 10)], ["x", "shape"]),
        ["constant_of_shape_2pow62"] = Generator("ConstantOfShape", [Int64s("shape", 1L << 31, 1L << 31)], ["shape"]),
        ["constant_of_shape_over_budget"] = Generator("ConstantOfShape", [Int64s("shape", 4096, 8192)], ["shape"]),
        ["relu_chain_100000"] = Chain(constant: false),
        ["folded_chain_100000"] = Chain(constant: true),
    };

    /// <summary>The model as a fuzz input: <c>model.onnx</c>, converted with default options.</summary>
    public static FuzzInput ToInput(string name, ModelProto model) =>
        new($"hostile/{name}", new Dictionary<string, byte[]> { ["model.onnx"] = model.ToByteArray() }, new ConversionSpec { Model = "model.onnx" });

    /// <summary>
    /// Loop(M = <paramref name="trips"/>, cond = true, v = [1]): the body passes the condition through and
    /// makes v + v (or, doubling, Concat(v, v)), and also emits v as a scan output. Every input is a constant.
    /// </summary>
    public static ModelProto LoopOfTrips(long trips, bool doubling)
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(Info("i", DataType.Int64, []));
        body.Input.Add(Info("c", DataType.Bool, []));
        body.Input.Add(Info("v", DataType.Float, doubling ? null : [1]));
        body.Node.Add(Node("Identity", ["c"], ["c_out"]));
        body.Node.Add(doubling ? Node("Concat", ["v", "v"], ["v_out"], OnnxAttributes.Int("axis", 0)) : Node("Add", ["v", "v"], ["v_out"]));
        body.Node.Add(Node("Identity", ["v"], ["scan"]));
        body.Output.Add(Info("c_out", DataType.Bool, []));
        body.Output.Add(Info("v_out", DataType.Float, doubling ? null : [1]));
        body.Output.Add(Info("scan", DataType.Float, doubling ? null : [1]));

        var graph = new GraphProto { Name = "hostile_loop" };
        graph.Initializer.Add(Int64("trips", trips));
        graph.Initializer.Add(new TensorProto { Name = "cond", DataType = (int)DataType.Bool, RawData = ByteString.CopyFrom(1) });
        graph.Initializer.Add(Float32("v0", [1], 1));
        var loop = Node("Loop", ["trips", "cond", "v0"], ["final", "scans"]);
        loop.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeType.Graph, G = body });
        graph.Node.Add(loop);
        graph.Output.Add(Info("final", DataType.Float, null));
        return Model(graph);
    }

    private static ModelProto HugeDeclaredInput()
    {
        var graph = new GraphProto { Name = "huge_input" };
        graph.Input.Add(Info("x", DataType.Float, [1L << 40, 1L << 40, 1L << 40]));
        graph.Node.Add(Node("Relu", ["x"], ["y"]));
        graph.Node.Add(Node("Shape", ["y"], ["s"]));
        graph.Output.Add(Info("y", DataType.Float, null));
        graph.Output.Add(Info("s", DataType.Int64, null));
        return Model(graph);
    }

    // Dims of 2^40 × 2^40 elements, and no data at all.
    private static ModelProto HugeDeclaredInitializer()
    {
        var graph = new GraphProto { Name = "huge_initializer" };
        graph.Initializer.Add(new TensorProto { Name = "w", DataType = (int)DataType.Float, Dims = { 1L << 40, 1L << 40 } });
        graph.Input.Add(Info("x", DataType.Float, [1]));
        graph.Node.Add(Node("Add", ["x", "w"], ["y"]));
        graph.Output.Add(Info("y", DataType.Float, null));
        return Model(graph);
    }

    private static ModelProto Generator(string opType, TensorProto[] constants, string[] inputs)
    {
        var graph = new GraphProto { Name = $"hostile_{opType}" };
        graph.Initializer.AddRange(constants);
        graph.Node.Add(Node(opType, inputs, ["y"]));
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        return Model(graph);
    }

    // x → Relu → Relu → ... (a runtime chain), or c → Add(c) → Add(c) → ... on constants (a folding chain).
    private static ModelProto Chain(bool constant)
    {
        var graph = new GraphProto { Name = constant ? "folded_chain" : "relu_chain" };
        if (constant)
        {
            graph.Initializer.Add(Float32("v0", [4], 1, 2, 3, 4));
            graph.Initializer.Add(Float32("one", [4], 1, 1, 1, 1));
        }
        else
        {
            graph.Input.Add(Info("v0", DataType.Float, [1, 4]));
        }

        for (var i = 1; i <= ChainLength; i++)
        {
            graph.Node.Add(constant ? Node("Add", [$"v{i - 1}", "one"], [$"v{i}"]) : Node("Relu", [$"v{i - 1}"], [$"v{i}"]));
        }

        graph.Output.Add(new ValueInfoProto { Name = $"v{ChainLength}" });
        return Model(graph);
    }

    private static ModelProto Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild.Fuzzer", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    private static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        new() { OpType = opType, Name = outputs[0], Input = { inputs }, Output = { outputs }, Attribute = { attributes } };

    private static ValueInfoProto Info(string name, DataType type, long[]? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            tensor.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static TensorProto Int64(string name, long value) => new() { Name = name, DataType = (int)DataType.Int64, Int64Data = { value } };

    private static TensorProto Int64s(string name, params long[] values) => new() { Name = name, DataType = (int)DataType.Int64, Dims = { values.Length }, Int64Data = { values } };

    private static TensorProto Float32(string name, long[] dims, params float[] values) => new() { Name = name, DataType = (int)DataType.Float, Dims = { dims }, FloatData = { values } };
}
