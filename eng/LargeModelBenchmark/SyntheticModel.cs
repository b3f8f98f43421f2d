using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Benchmarks;

/// <summary>
/// A synthetic model with the weight mix of a recommender: a stack of MatMul + Add layers and a few
/// large Gather (embedding) tables, all FP32. Weights go to one external data file, or inline in the
/// .onnx ("embedded", for the near-2 GiB protobuf case). Values are small pseudo-random numbers.
/// A layer's weight is a square matrix of about the requested size (16 MiB: 2048×2048 f32).
/// </summary>
public static class SyntheticModel
{
    private const int TableWidth = 512;
    private const int TableCount = 2;

    /// <summary>Writes the model into <paramref name="folder"/> unless it is already there; returns the .onnx path.</summary>
    public static string Create(string folder, double gibibytes, double layerMebibytes, bool embedded)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"synthetic-{gibibytes:0.##}GiB-{layerMebibytes:0.##}MiB-layers-{(embedded ? "embedded" : "external")}");
        var path = Path.Combine(folder, name, "model.onnx");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var totalBytes = (long)(gibibytes * (1L << 30));
        var width = (int)Math.Round(Math.Sqrt(layerMebibytes * (1 << 20) / 4));
        var layerBytes = (long)width * width * 4;
        var tableRows = (int)(totalBytes / 5 / TableCount / (TableWidth * 4));
        var layers = (int)Math.Max(1, (totalBytes - (long)TableCount * tableRows * TableWidth * 4) / layerBytes);

        var model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild benchmark", Graph = new GraphProto { Name = name } };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        var graph = model.Graph;
        graph.Input.Add(Info("x", ElementType.F32, 1, width));
        graph.Input.Add(Info("ids", ElementType.I64, 8));
        var weights = new WeightWriter(Path.GetDirectoryName(path)!, embedded);

        var current = "x";
        for (var i = 0; i < layers; i++)
        {
            graph.Initializer.Add(weights.Add($"layer{i}.weight", [width, width]));
            graph.Initializer.Add(weights.Add($"layer{i}.bias", [width]));
            AddNode(graph, "MatMul", [current, $"layer{i}.weight"], $"layer{i}.matmul");
            AddNode(graph, "Add", [$"layer{i}.matmul", $"layer{i}.bias"], $"layer{i}.out");
            current = $"layer{i}.out";
        }

        graph.Output.Add(Info(current, ElementType.F32, 1, width));
        for (var t = 0; t < TableCount; t++)
        {
            graph.Initializer.Add(weights.Add($"table{t}", [tableRows, TableWidth]));
            AddNode(graph, "Gather", [$"table{t}", "ids"], $"embedding{t}");
            graph.Output.Add(Info($"embedding{t}", ElementType.F32, 8, TableWidth));
        }

        weights.WriteModel(model, path);
        return path;
    }

    private static void AddNode(GraphProto graph, string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        graph.Node.Add(node);
    }

    private static ValueInfoProto Info(string name, ElementType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type), Shape = shape } } };
    }

    /// <summary>
    /// Writes weight bytes as they are declared: to the external data file, or — for the embedded model —
    /// remembers them and streams them into raw_data while the .onnx is written, so no 2 GiB buffer is built.
    /// </summary>
    private sealed class WeightWriter(string folder, bool embedded)
    {
        private const string DataFile = "weights.data";
        private readonly List<(TensorProto Tensor, long Count, ulong Seed)> _embedded = [];
        private readonly FileStream? _data = embedded ? null : new FileStream(Path.Combine(folder, DataFile), FileMode.Create);
        private ulong _seed = 0x9E3779B97F4A7C15;

        public TensorProto Add(string name, long[] shape)
        {
            var tensor = new TensorProto { Name = name, DataType = OnnxTensors.ToOnnxType(ElementType.F32) };
            tensor.Dims.AddRange(shape);
            var count = shape.Aggregate(1L, (a, b) => a * b);
            _seed += 0x632BE59BD9B4E019;
            if (_data is null)
            {
                _embedded.Add((tensor, count, _seed));
                return tensor;
            }

            var offset = _data.Position;
            WriteValues(_data, count, _seed);
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = DataFile });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (count * 4).ToString(CultureInfo.InvariantCulture) });
            return tensor;
        }

        public void WriteModel(ModelProto model, string path)
        {
            if (_data is not null)
            {
                _data.Dispose();
                File.WriteAllBytes(path, model.ToByteArray());
                return;
            }

            // The graph without initializers goes through protobuf; the initializers (graph field 5, each with
            // raw_data field 9) are appended on the wire by hand, streaming their values.
            var graph = model.Graph;
            graph.Initializer.Clear();
            var graphBytes = graph.ToByteArray();
            model.Graph = null;
            var modelBytes = model.ToByteArray();
            var initializerSizes = _embedded.Select(e => InitializerSize(e.Tensor, e.Count)).ToList();
            var graphLength = graphBytes.Length + initializerSizes.Sum(s => Tag(5).Length + Varint((ulong)s).Length + s);

            using var stream = new FileStream(path, FileMode.Create);
            stream.Write(modelBytes);
            stream.Write(Tag(7));
            stream.Write(Varint((ulong)graphLength));
            stream.Write(graphBytes);
            for (var i = 0; i < _embedded.Count; i++)
            {
                var (tensor, count, seed) = _embedded[i];
                stream.Write(Tag(5));
                stream.Write(Varint((ulong)initializerSizes[i]));
                stream.Write(tensor.ToByteArray());
                stream.Write(Tag(9));
                stream.Write(Varint((ulong)(count * 4)));
                WriteValues(stream, count, seed);
            }
        }

        private static long InitializerSize(TensorProto header, long count) =>
            header.CalculateSize() + Tag(9).Length + Varint((ulong)(count * 4)).Length + count * 4;

        private static byte[] Tag(int field) => [(byte)((field << 3) | 2)];

        private static byte[] Varint(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                var b = (byte)(value & 0x7F);
                value >>= 7;
                bytes.Add(value == 0 ? b : (byte)(b | 0x80));
            }
            while (value != 0);
            return [.. bytes];
        }

        // xorshift64 values in [-0.05, 0.05): fast to make, all within FP16's range.
        private static void WriteValues(Stream stream, long count, ulong state)
        {
            var buffer = new byte[1 << 20];
            for (long written = 0; written < count;)
            {
                var chunk = (int)Math.Min(buffer.Length / 4, count - written);
                for (var i = 0; i < chunk; i++)
                {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    var value = ((state >> 40) / (float)(1 << 24) - 0.5f) * 0.1f;
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), value);
                }

                stream.Write(buffer, 0, chunk * 4);
                written += chunk;
            }
        }
    }
}
