using System.Globalization;
using Google.Protobuf;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using AttributeType = ModelBuild.Core.Onnx.Wire.AttributeProto.Types.AttributeType;
using DataType = ModelBuild.Core.Onnx.Wire.TensorProto.Types.DataType;

namespace ModelBuild.Fuzzing.Mutation;

/// <summary>
/// Structure-aware mutations of an ONNX model: tensor dims, data types and values, external-data
/// entries, value infos, attributes, graph wiring, op types, opsets, subgraphs (hostile Loops and Ifs,
/// nested bodies), functions (recursive too) and names — each a small, plausible change, so most
/// mutants still parse and reach translation, folding and writing.
/// </summary>
internal sealed class OnnxMutator
{
    public const string ExternalDataFile = "weights.bin";

    /// <summary>Op types that compute at conversion time from constant inputs: the budget's clients.</summary>
    private static readonly string[] GeneratingOps = ["Range", "Tile", "Expand", "ConstantOfShape", "Resize", "Reshape", "Pad", "OneHot", "Upsample", "EyeLike", "Concat", "Slice", "Gather", "CumSum", "MatMul", "Einsum", "TopK", "NonZero", "Unique", "Trilu"];

    private static readonly string[] AttributeNames = ["axis", "axes", "perm", "pads", "strides", "kernel_shape", "dilations", "group", "keepdims", "to", "mode", "k", "largest", "sorted", "split", "shape", "value", "alpha", "beta", "epsilon", "transA", "transB", "direction", "hidden_size", "num_outputs", "blocksize", "body", "then_branch", "else_branch", "upper", "exclusive", "reverse", "batch_dims", "noop_with_empty_axes", "output_padding", "output_shape", "auto_pad", "ceil_mode", "count_include_pad", "storage_order", "coordinate_transformation_mode", "equation", "seed", "dtype", "sample_size", "scan_input_axes", "scan_output_axes", "num_scan_inputs"];

    private readonly Random _random;
    private readonly ModelProto _model;
    private readonly IDictionary<string, byte[]> _files;
    private readonly ModelProto? _donor;
    private readonly List<GraphProto> _graphs = [];
    private readonly List<NodeProto> _nodes = [];
    private readonly List<TensorProto> _tensors = [];
    private readonly List<ValueInfoProto> _valueInfos = [];

    private OnnxMutator(Random random, ModelProto model, IDictionary<string, byte[]> files, ModelProto? donor)
    {
        _random = random;
        _model = model;
        _files = files;
        _donor = donor;
        model.Graph ??= new GraphProto { Name = "g" };
        Collect(model.Graph);
        foreach (var function in model.Functions)
        {
            _nodes.AddRange(function.Node);
        }
    }

    /// <summary>Applies 1–4 mutations to <paramref name="model"/> in place; external data files go into <paramref name="files"/>.</summary>
    public static void Mutate(ModelProto model, Random random, IDictionary<string, byte[]> files, ModelProto? donor)
    {
        var mutator = new OnnxMutator(random, model, files, donor);
        var count = 1 + random.Next(random.Next(3) == 0 ? 4 : 2);
        for (var i = 0; i < count; i++)
        {
            mutator.MutateOnce();
        }
    }

    private void MutateOnce()
    {
        Action mutation = _random.Next(24) switch
        {
            0 or 1 => MutateTensorDims,
            2 => MutateTensorType,
            3 => MutateTensorData,
            4 or 5 => MutateTensorValues,
            6 => MoveToExternalData,
            7 => MutateValueInfo,
            8 or 9 => MutateAttribute,
            10 => AddAttribute,
            11 => RemoveOrRetypeAttribute,
            12 or 13 => Rewire,
            14 => RemoveDuplicateOrMoveNode,
            15 => ChangeOpType,
            16 => ChangeOpset,
            17 => InsertHostileLoop,
            18 => InsertGeneratingNode,
            19 => WrapInIf,
            20 => AddFunction,
            21 => MutateName,
            22 => MutateGraphOutputs,
            _ => SpliceDonorNode,
        };
        mutation();
    }

    private void Collect(GraphProto graph)
    {
        _graphs.Add(graph);
        _tensors.AddRange(graph.Initializer);
        _valueInfos.AddRange(graph.Input);
        _valueInfos.AddRange(graph.Output);
        _valueInfos.AddRange(graph.ValueInfo);
        foreach (var node in graph.Node)
        {
            _nodes.Add(node);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is not null)
                {
                    _tensors.Add(attribute.T);
                }

                _tensors.AddRange(attribute.Tensors);
                if (attribute.G is not null)
                {
                    Collect(attribute.G);
                }

                foreach (var body in attribute.Graphs)
                {
                    Collect(body);
                }
            }
        }
    }

    private GraphProto AnyGraph() => Interesting.Pick(_random, _graphs);

    private NodeProto? AnyNode() => _nodes.Count == 0 ? null : Interesting.Pick(_random, _nodes);

    private TensorProto? AnyTensor() => _tensors.Count == 0 ? null : Interesting.Pick(_random, _tensors);

    // Every name a value may have in the model: inputs, initializers, node outputs, the empty name and an undefined one.
    private List<string> ValueNames()
    {
        var names = new List<string> { "", "undefined_value" };
        foreach (var graph in _graphs)
        {
            names.AddRange(graph.Input.Select(i => i.Name));
            names.AddRange(graph.Initializer.Select(i => i.Name));
            names.AddRange(graph.Node.SelectMany(n => n.Output));
        }

        return names;
    }

    private void MutateTensorDims()
    {
        if (AnyTensor() is not { } tensor)
        {
            return;
        }

        switch (_random.Next(4))
        {
            case 0 when tensor.Dims.Count > 0:
                tensor.Dims[_random.Next(tensor.Dims.Count)] = Interesting.Dimension(_random);
                break;
            case 1:
                tensor.Dims.Insert(_random.Next(tensor.Dims.Count + 1), Interesting.Dimension(_random));
                break;
            case 2 when tensor.Dims.Count > 0:
                tensor.Dims.RemoveAt(_random.Next(tensor.Dims.Count));
                break;
            default:
                // Dims whose product overflows, or huge dims on an empty tensor.
                tensor.Dims.Clear();
                tensor.Dims.AddRange(_random.Next(2) == 0 ? [1L << 40, 1L << 40] : [0, long.MaxValue]);
                break;
        }
    }

    private void MutateTensorType()
    {
        if (AnyTensor() is { } tensor)
        {
            tensor.DataType = _random.Next(4) == 0 ? (int)Interesting.Integer(_random) : _random.Next(0, 26);
        }
    }

    private void MutateTensorData()
    {
        if (AnyTensor() is not { } tensor)
        {
            return;
        }

        switch (_random.Next(5))
        {
            case 0 when !tensor.RawData.IsEmpty:
                tensor.RawData = ByteString.CopyFrom(tensor.RawData.Span[.._random.Next(tensor.RawData.Length)]);
                break;
            case 1:
                var extra = new byte[_random.Next(1, 64)];
                _random.NextBytes(extra);
                tensor.RawData = ByteString.CopyFrom([.. tensor.RawData.Span, .. extra]);
                break;
            case 2:
                tensor.RawData = ByteString.Empty;
                tensor.Int64Data.Add(Interesting.Integer(_random));
                break;
            case 3:
                tensor.FloatData.Add(Interesting.Float(_random));
                tensor.Int32Data.Add((int)Interesting.Integer(_random));
                break;
            default:
                tensor.StringData.Add(ByteString.CopyFromUtf8(Interesting.String(_random)));
                break;
        }
    }

    // Small integer tensors are shapes, axes, repeats, pads, trip counts: give them extreme values.
    private void MutateTensorValues()
    {
        var candidates = _tensors.Where(t => t.DataType is (int)DataType.Int64 or (int)DataType.Int32 or (int)DataType.Float && Count(t) is > 0 and <= 64).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var tensor = Interesting.Pick(_random, candidates);
        var count = (int)Count(tensor);
        var bytes = tensor.RawData.IsEmpty ? null : tensor.RawData.ToByteArray();
        var at = _random.Next(count);
        if (tensor.DataType == (int)DataType.Float)
        {
            if (bytes is not null && bytes.Length >= 4 * (at + 1))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(4 * at), Interesting.Float(_random));
                tensor.RawData = ByteString.CopyFrom(bytes);
            }
            else if (tensor.FloatData.Count > at)
            {
                tensor.FloatData[at] = Interesting.Float(_random);
            }

            return;
        }

        var value = Interesting.Integer(_random);
        var width = tensor.DataType == (int)DataType.Int64 ? 8 : 4;
        if (bytes is not null && bytes.Length >= width * (at + 1))
        {
            var encoded = BitConverter.GetBytes(value);
            Array.Copy(encoded, 0, bytes, width * at, width);
            tensor.RawData = ByteString.CopyFrom(bytes);
        }
        else if (tensor.Int64Data.Count > at)
        {
            tensor.Int64Data[at] = value;
        }
        else if (tensor.Int32Data.Count > at)
        {
            tensor.Int32Data[at] = (int)value;
        }
    }

    private static long Count(TensorProto tensor)
    {
        long count = 1;
        foreach (var dim in tensor.Dims)
        {
            if (dim < 0 || dim > 1 << 20)
            {
                return -1;
            }

            count *= dim;
        }

        return count;
    }

    // An initializer's bytes move to weights.bin; location, offset and length are right, or wrong in one of many ways.
    private void MoveToExternalData()
    {
        var initializers = _graphs.SelectMany(g => g.Initializer).ToList();
        if (initializers.Count == 0)
        {
            return;
        }

        var tensor = Interesting.Pick(_random, initializers);
        var existing = _files.TryGetValue(ExternalDataFile, out var file) ? file : [];
        var padding = _random.Next(3) == 0 ? _random.Next(1, 17) : 0;
        var offset = existing.Length + padding;
        var data = tensor.RawData.ToByteArray();
        _files[ExternalDataFile] = [.. existing, .. new byte[padding], .. data];
        tensor.RawData = ByteString.Empty;
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Clear();
        var location = _random.Next(4) switch
        {
            0 => Interesting.Pick(_random, ["../" + ExternalDataFile, "/etc/passwd", "missing.bin", "", ".", "sub/../" + ExternalDataFile, ExternalDataFile + "\0", "C:\\x.bin"]),
            _ => ExternalDataFile,
        };
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = Mangle(offset) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = Mangle(data.Length) });

        string Mangle(long value) => _random.Next(4) switch
        {
            0 => Interesting.Integer(_random).ToString(CultureInfo.InvariantCulture),
            1 when _random.Next(2) == 0 => Interesting.Pick(_random, ["", "abc", "1e3", " 1", "0x10", "99999999999999999999999"]),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
    }

    private void MutateValueInfo()
    {
        if (_valueInfos.Count == 0)
        {
            return;
        }

        var info = Interesting.Pick(_random, _valueInfos);
        info.Type ??= new TypeProto();
        switch (_random.Next(6))
        {
            case 0:
                info.Type.TensorType ??= new TypeProto.Types.Tensor();
                info.Type.TensorType.ElemType = _random.Next(0, 26);
                break;
            case 1:
                info.Type.TensorType ??= new TypeProto.Types.Tensor();
                info.Type.TensorType.Shape ??= new TensorShapeProto();
                var dims = info.Type.TensorType.Shape.Dim;
                if (dims.Count > 0 && _random.Next(3) > 0)
                {
                    dims[_random.Next(dims.Count)] = Dimension();
                }
                else
                {
                    dims.Add(Dimension());
                }

                break;
            case 2:
                info.Type.TensorType?.Shape?.Dim.Clear();
                break;
            case 3:
                info.Type.TensorType?.Shape = null;
                break;
            case 4:
                info.Type = _random.Next(2) == 0 ? null : new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } } };
                break;
            default:
                info.Type.TensorType ??= new TypeProto.Types.Tensor { ElemType = 1 };
                info.Type.TensorType.Shape = new TensorShapeProto();
                info.Type.TensorType.Shape.Dim.AddRange(Enumerable.Range(0, _random.Next(2) == 0 ? 1000 : 7).Select(_ => Dimension()));
                break;
        }

        TensorShapeProto.Types.Dimension Dimension() => _random.Next(3) == 0
            ? new TensorShapeProto.Types.Dimension { DimParam = Interesting.String(_random) }
            : new TensorShapeProto.Types.Dimension { DimValue = Interesting.Dimension(_random) };
    }

    private void MutateAttribute()
    {
        var node = AnyNode();
        if (node is null || node.Attribute.Count == 0)
        {
            AddAttribute();
            return;
        }

        MutateValue(Interesting.Pick(_random, node.Attribute));
    }

    private void MutateValue(AttributeProto attribute)
    {
        switch (attribute.Type)
        {
            case AttributeType.Int:
                attribute.I = Interesting.Integer(_random);
                break;
            case AttributeType.Float:
                attribute.F = Interesting.Float(_random);
                break;
            case AttributeType.String:
                attribute.S = ByteString.CopyFromUtf8(Interesting.String(_random));
                break;
            case AttributeType.Ints:
                MutateList(attribute.Ints, () => Interesting.Integer(_random));
                break;
            case AttributeType.Floats:
                MutateList(attribute.Floats, () => Interesting.Float(_random));
                break;
            case AttributeType.Strings:
                MutateList(attribute.Strings, () => ByteString.CopyFromUtf8(Interesting.String(_random)));
                break;
            case AttributeType.Tensor when attribute.T is not null:
                attribute.T.Dims.Add(Interesting.Dimension(_random));
                break;
            case AttributeType.Graph when attribute.G is not null:
                MutateSubgraph(attribute.G);
                break;
            default:
                attribute.I = Interesting.Integer(_random);
                break;
        }
    }

    private void MutateList<T>(Google.Protobuf.Collections.RepeatedField<T> list, Func<T> value)
    {
        switch (_random.Next(4))
        {
            case 0 when list.Count > 0:
                list.RemoveAt(_random.Next(list.Count));
                break;
            case 1:
                list.Add(value());
                break;
            case 2 when list.Count > 0:
                list[_random.Next(list.Count)] = value();
                break;
            default:
                var count = _random.Next(2) == 0 ? _random.Next(0, 9) : 300;
                list.Clear();
                for (var i = 0; i < count; i++)
                {
                    list.Add(value());
                }

                break;
        }
    }

    // A body's inputs and outputs lose or gain entries; its nodes are mutated like the main graph's.
    private void MutateSubgraph(GraphProto graph)
    {
        switch (_random.Next(3))
        {
            case 0 when graph.Input.Count > 0:
                graph.Input.RemoveAt(_random.Next(graph.Input.Count));
                break;
            case 1 when graph.Output.Count > 0:
                graph.Output.Add(graph.Output[_random.Next(graph.Output.Count)].Clone());
                break;
            default:
                if (graph.Node.Count > 0)
                {
                    graph.Node.RemoveAt(_random.Next(graph.Node.Count));
                }

                break;
        }
    }

    private void AddAttribute()
    {
        if (AnyNode() is not { } node)
        {
            return;
        }

        var name = Interesting.Pick(_random, AttributeNames);
        var attribute = _random.Next(5) switch
        {
            0 => OnnxAttributes.Float(name, Interesting.Float(_random)),
            1 => OnnxAttributes.String(name, Interesting.String(_random)),
            2 => OnnxAttributes.Ints(name, [.. Enumerable.Range(0, _random.Next(0, 6)).Select(_ => Interesting.Dimension(_random))]),
            3 => new AttributeProto { Name = name, Type = AttributeType.Graph, G = _graphs.Count > 1 && _random.Next(2) == 0 ? AnyGraph().Clone() : new GraphProto { Name = "empty" } },
            _ => OnnxAttributes.Int(name, Interesting.Integer(_random)),
        };
        node.Attribute.Add(attribute);
    }

    private void RemoveOrRetypeAttribute()
    {
        var node = AnyNode();
        if (node is null || node.Attribute.Count == 0)
        {
            return;
        }

        var index = _random.Next(node.Attribute.Count);
        if (_random.Next(2) == 0)
        {
            node.Attribute.RemoveAt(index);
        }
        else
        {
            node.Attribute[index].Type = (AttributeType)_random.Next(0, 15);
        }
    }

    private void Rewire()
    {
        if (AnyNode() is not { } node)
        {
            return;
        }

        var names = ValueNames();
        switch (_random.Next(5))
        {
            case 0 when node.Input.Count > 0:
                node.Input[_random.Next(node.Input.Count)] = Interesting.Pick(_random, names);
                break;
            case 1:
                node.Input.Add(Interesting.Pick(_random, names));
                break;
            case 2 when node.Input.Count > 0:
                node.Input.RemoveAt(_random.Next(node.Input.Count));
                break;
            case 3 when node.Output.Count > 0:
                // Outputs named like other values: redefinitions, and inputs that now come from elsewhere.
                node.Output[_random.Next(node.Output.Count)] = Interesting.Pick(_random, names);
                break;
            default:
                node.Output.Add(_random.Next(2) == 0 ? "" : $"extra_{_random.Next(100)}");
                break;
        }
    }

    private void RemoveDuplicateOrMoveNode()
    {
        var graph = AnyGraph();
        if (graph.Node.Count == 0)
        {
            return;
        }

        var index = _random.Next(graph.Node.Count);
        var node = graph.Node[index];
        switch (_random.Next(3))
        {
            case 0:
                graph.Node.RemoveAt(index);
                break;
            case 1:
                graph.Node.Insert(_random.Next(graph.Node.Count + 1), node.Clone());
                break;
            default:
                graph.Node.RemoveAt(index);
                graph.Node.Insert(_random.Next(graph.Node.Count + 1), node);
                break;
        }
    }

    private void ChangeOpType()
    {
        if (AnyNode() is not { } node)
        {
            return;
        }

        var known = _nodes.Select(n => n.OpType).Concat(GeneratingOps).Concat(["Loop", "If", "Scan", "SequenceConstruct", "SplitToSequence", "ATen", "Identity", "Constant"]).Distinct().ToList();
        node.OpType = Interesting.Pick(_random, known);
        if (_random.Next(8) == 0)
        {
            node.Domain = Interesting.Pick(_random, ["", "ai.onnx", "com.microsoft", "org.pytorch.aten", "unknown.domain"]);
        }
    }

    private void ChangeOpset()
    {
        if (_model.OpsetImport.Count == 0 || _random.Next(4) == 0)
        {
            _model.OpsetImport.Add(new OperatorSetIdProto { Domain = Interesting.Pick(_random, ["", "com.microsoft", "org.pytorch.aten"]), Version = _random.Next(0, 25) });
            return;
        }

        _model.OpsetImport[_random.Next(_model.OpsetImport.Count)].Version = _random.Next(3) == 0 ? Interesting.Integer(_random) : _random.Next(1, 23);
    }

    /// <summary>
    /// A Loop whose inputs are all constants — a trip count from the interesting values (2^62 among them),
    /// a true condition and a carried value the body grows or copies — feeding an existing value's consumers.
    /// </summary>
    private void InsertHostileLoop()
    {
        var graph = AnyGraph();
        var id = _random.Next(1_000_000);
        var body = new GraphProto { Name = $"loop_body_{id}" };
        body.Input.Add(TensorInfo($"i_{id}", DataType.Int64));
        body.Input.Add(TensorInfo($"c_{id}", DataType.Bool));
        body.Input.Add(TensorInfo($"v_{id}", DataType.Float));
        body.Node.Add(Node("Identity", [$"c_{id}"], [$"co_{id}"]));
        var grows = _random.Next(2) == 0;
        if (grows)
        {
            // The carried value doubles in size each iteration: Concat(v, v).
            body.Node.Add(Node("Concat", [$"v_{id}", $"v_{id}"], [$"vo_{id}"], OnnxAttributes.Int("axis", 0)));
        }
        else
        {
            body.Node.Add(Node("Add", [$"v_{id}", $"v_{id}"], [$"vo_{id}"]));
        }

        body.Node.Add(Node("Identity", [$"v_{id}"], [$"scan_{id}"]));
        body.Output.Add(TensorInfo($"co_{id}", DataType.Bool));
        body.Output.Add(TensorInfo($"vo_{id}", DataType.Float));
        body.Output.Add(TensorInfo($"scan_{id}", DataType.Float));
        graph.Initializer.Add(Int64Tensor($"trip_{id}", [_random.Next(2) == 0 ? 1L << 62 : Interesting.Integer(_random)], []));
        graph.Initializer.Add(new TensorProto { Name = $"cond_{id}", DataType = (int)DataType.Bool, RawData = ByteString.CopyFrom(1) });
        graph.Initializer.Add(new TensorProto { Name = $"init_{id}", DataType = (int)DataType.Float, Dims = { 1 }, FloatData = { 1f } });
        var loop = Node("Loop", [$"trip_{id}", $"cond_{id}", $"init_{id}"], [$"final_{id}", $"scans_{id}"]);
        loop.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeType.Graph, G = body });
        InsertFeedingConsumer(graph, loop, $"final_{id}");
    }

    // Range/Tile/Expand/ConstantOfShape/Resize... on constants whose folded result would be huge.
    private void InsertGeneratingNode()
    {
        var graph = AnyGraph();
        var id = _random.Next(1_000_000);
        var big = 1L << _random.Next(20, 63);
        NodeProto node;
        switch (_random.Next(6))
        {
            case 0:
                graph.Initializer.Add(Int64Tensor($"start_{id}", [0], []));
                graph.Initializer.Add(Int64Tensor($"limit_{id}", [big], []));
                graph.Initializer.Add(Int64Tensor($"delta_{id}", [_random.Next(2) == 0 ? 1 : Interesting.Integer(_random)], []));
                node = Node("Range", [$"start_{id}", $"limit_{id}", $"delta_{id}"], [$"out_{id}"]);
                break;
            case 1:
                graph.Initializer.Add(new TensorProto { Name = $"x_{id}", DataType = (int)DataType.Float, Dims = { 2, 2 }, FloatData = { 1, 2, 3, 4 } });
                graph.Initializer.Add(Int64Tensor($"repeats_{id}", [big, _random.Next(1, 1000)], [2]));
                node = Node("Tile", [$"x_{id}", $"repeats_{id}"], [$"out_{id}"]);
                break;
            case 2:
                graph.Initializer.Add(new TensorProto { Name = $"x_{id}", DataType = (int)DataType.Float, Dims = { 1 }, FloatData = { 1 } });
                graph.Initializer.Add(Int64Tensor($"shape_{id}", [big, Interesting.Dimension(_random)], [2]));
                node = Node("Expand", [$"x_{id}", $"shape_{id}"], [$"out_{id}"]);
                break;
            case 3:
                graph.Initializer.Add(Int64Tensor($"shape_{id}", [big, big], [2]));
                node = Node("ConstantOfShape", [$"shape_{id}"], [$"out_{id}"]);
                break;
            case 4:
                graph.Initializer.Add(new TensorProto { Name = $"x_{id}", DataType = (int)DataType.Float, Dims = { 1, 1, 2, 2 }, FloatData = { 1, 2, 3, 4 } });
                graph.Initializer.Add(new TensorProto { Name = $"scales_{id}", DataType = (int)DataType.Float, Dims = { 4 }, FloatData = { 1, 1, (float)big, Interesting.Float(_random) } });
                node = Node("Resize", [$"x_{id}", "", $"scales_{id}"], [$"out_{id}"]);
                break;
            default:
                graph.Initializer.Add(Int64Tensor($"shape_{id}", [_random.Next(1, 4096), _random.Next(1, 4096)], [2]));
                node = Node("ConstantOfShape", [$"shape_{id}"], [$"cs_{id}"]);
                graph.Node.Add(node);
                node = Node("MatMul", [$"cs_{id}", $"cs_{id}"], [$"out_{id}"]);
                break;
        }

        InsertFeedingConsumer(graph, node, $"out_{id}");
    }

    // The new node goes before a random position; an existing node's input or a graph output then takes its value.
    private void InsertFeedingConsumer(GraphProto graph, NodeProto node, string output)
    {
        var position = _random.Next(graph.Node.Count + 1);
        graph.Node.Insert(position, node);
        var consumers = graph.Node.Skip(position + 1).Where(n => n.Input.Count > 0).ToList();
        if (consumers.Count > 0 && _random.Next(3) > 0)
        {
            var consumer = Interesting.Pick(_random, consumers);
            consumer.Input[_random.Next(consumer.Input.Count)] = output;
        }
        else
        {
            graph.Output.Add(new ValueInfoProto { Name = output });
        }
    }

    // A node moves into the then-branch of an If on a constant (or undefined) condition.
    private void WrapInIf()
    {
        var graph = AnyGraph();
        if (graph.Node.Count == 0)
        {
            return;
        }

        var index = _random.Next(graph.Node.Count);
        var inner = graph.Node[index];
        var id = _random.Next(1_000_000);
        var then = new GraphProto { Name = $"then_{id}", Node = { inner } };
        then.Output.AddRange(inner.Output.Where(o => o.Length > 0).Select(o => new ValueInfoProto { Name = o }));
        var otherwise = then.Clone();
        otherwise.Name = $"else_{id}";
        if (_random.Next(2) == 0 && otherwise.Output.Count > 0)
        {
            otherwise.Output.RemoveAt(0);
        }

        graph.Initializer.Add(new TensorProto { Name = $"cond_{id}", DataType = (int)DataType.Bool, RawData = ByteString.CopyFrom((byte)_random.Next(2)) });
        var condition = _random.Next(4) == 0 ? Interesting.Pick(_random, ValueNames()) : $"cond_{id}";
        var node = Node("If", [condition], [.. inner.Output]);
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeType.Graph, G = then });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeType.Graph, G = otherwise });
        graph.Node[index] = node;
    }

    // A model-local function, called from the graph; it may call itself (directly or through another).
    private void AddFunction()
    {
        var name = $"fn_{_random.Next(4)}";
        var function = new FunctionProto { Name = name, Domain = "local", Input = { "a" }, Output = { "b" } };
        function.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        var callee = _random.Next(3) == 0 ? name : _model.Functions.Count > 0 && _random.Next(2) == 0 ? _model.Functions[0].Name : "Relu";
        function.Node.Add(new NodeProto { OpType = callee, Domain = callee == "Relu" ? "" : "local", Input = { "a" }, Output = { "b" } });
        _model.Functions.Add(function);
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "local", Version = 1 });
        var graph = AnyGraph();
        var names = ValueNames();
        var call = new NodeProto { OpType = name, Domain = "local", Input = { Interesting.Pick(_random, names) }, Output = { $"call_{_random.Next(1000)}" } };
        InsertFeedingConsumer(graph, call, call.Output[0]);
    }

    // Names with characters XML cannot carry, separators, empty names — on nodes, values and the graph.
    private void MutateName()
    {
        var name = Interesting.String(_random) + (_random.Next(2) == 0 ? "" : _random.Next(100).ToString(CultureInfo.InvariantCulture));
        switch (_random.Next(4))
        {
            case 0 when AnyNode() is { } node:
                node.Name = name;
                break;
            case 1:
                AnyGraph().Name = name;
                break;
            case 2 when _valueInfos.Count > 0:
                RenameValue(Interesting.Pick(_random, _valueInfos).Name, name);
                break;
            default:
                if (AnyNode() is { Output.Count: > 0 } producer)
                {
                    RenameValue(producer.Output[0], name);
                }

                break;
        }
    }

    // A value renamed everywhere it appears, so the model stays wired.
    private void RenameValue(string from, string to)
    {
        if (from.Length == 0)
        {
            return;
        }

        foreach (var graph in _graphs)
        {
            foreach (var info in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Where(i => i.Name == from))
            {
                info.Name = to;
            }

            foreach (var tensor in graph.Initializer.Where(t => t.Name == from))
            {
                tensor.Name = to;
            }

            foreach (var node in graph.Node)
            {
                Replace(node.Input);
                Replace(node.Output);
            }
        }

        void Replace(Google.Protobuf.Collections.RepeatedField<string> names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] == from)
                {
                    names[i] = to;
                }
            }
        }
    }

    private void MutateGraphOutputs()
    {
        var graph = _model.Graph;
        switch (_random.Next(3))
        {
            case 0 when graph.Output.Count > 0:
                graph.Output.RemoveAt(_random.Next(graph.Output.Count));
                break;
            case 1:
                graph.Output.Add(new ValueInfoProto { Name = Interesting.Pick(_random, ValueNames()) });
                break;
            default:
                graph.Input.Add(new ValueInfoProto { Name = Interesting.Pick(_random, ValueNames()), Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = _random.Next(1, 17) } } });
                break;
        }
    }

    // A node of another model, wired to values of this one.
    private void SpliceDonorNode()
    {
        if (_donor?.Graph is not { Node.Count: > 0 } donorGraph)
        {
            ChangeOpType();
            return;
        }

        var node = donorGraph.Node[_random.Next(donorGraph.Node.Count)].Clone();
        var names = ValueNames();
        for (var i = 0; i < node.Input.Count; i++)
        {
            node.Input[i] = Interesting.Pick(_random, names);
        }

        var graph = AnyGraph();
        foreach (var initializer in donorGraph.Initializer.Where(t => t.RawData.Length < 4096 && t.DataLocation != TensorProto.Types.DataLocation.External).Take(4))
        {
            graph.Initializer.Add(initializer.Clone());
            node.Input.Add(initializer.Name);
        }

        InsertFeedingConsumer(graph, node, node.Output.FirstOrDefault() ?? "");
    }

    private static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        new() { OpType = opType, Name = $"{opType}_fuzz", Input = { inputs }, Output = { outputs }, Attribute = { attributes } };

    private static ValueInfoProto TensorInfo(string name, DataType type) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } };

    private static TensorProto Int64Tensor(string name, long[] values, long[] dims) =>
        new() { Name = name, DataType = (int)DataType.Int64, Dims = { dims }, Int64Data = { values } };
}
