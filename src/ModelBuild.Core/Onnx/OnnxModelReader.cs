using Google.Protobuf;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// Reads an .onnx file through a memory mapping. The main graph's initializers are split on the
/// wire: their raw_data is located (offset and length in the file) while every other field goes
/// through the generated parsers. So a model near protobuf's 2 GiB limit loads without its weights
/// ever being copied into managed memory.
/// </summary>
public static class OnnxModelReader
{
    private const int ModelGraphField = 7;
    private const int GraphInitializerField = 5;
    private const int TensorRawDataField = 9;

    public static OnnxModel Read(string path, MappedFileSet files)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModelBuildException(DiagnosticCode.ModelFileNotFound, "The model file does not exist.", fullPath);
        }

        var file = files.Get(fullPath);
        if (file.Length > int.MaxValue)
        {
            throw new ModelBuildException(DiagnosticCode.ModelTooLarge,
                $"The file is {file.Length} bytes; a protobuf message cannot exceed 2 GiB. Store large tensors as ONNX external data.", fullPath);
        }

        try
        {
            var located = new Dictionary<TensorProto, TensorData>(ReferenceEqualityComparer.Instance);
            var proto = ParseModel(file, located);
            if (proto.Graph is null)
            {
                throw new ModelBuildException(DiagnosticCode.MalformedModel, "The file holds no ONNX graph; is it an ONNX model?", fullPath);
            }

            return new OnnxModel(fullPath, proto, files, located);
        }
        catch (Exception error) when (error is FormatException or InvalidProtocolBufferException)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"The file is not a valid ONNX protobuf: {error.Message}", fullPath);
        }
    }

    /// <summary>Parses a protobuf message held in a file that need not be an ONNX model (test data tensors).</summary>
    public static T ParseFile<T>(string path, MessageParser<T> parser)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"The file is not a valid {typeof(T).Name}: {error.Message}", path);
        }
    }

    private static ModelProto ParseModel(MappedFile file, Dictionary<TensorProto, TensorData> located)
    {
        var bytes = file.Span(0, (int)file.Length);
        var rest = new MemoryStream();
        GraphProto? graph = null;
        var reader = new WireReader(bytes, 0);
        while (reader.TryRead(out var field))
        {
            if (field.Number == ModelGraphField && field.Type == WireType.LengthDelimited)
            {
                // Repeated occurrences of a message field merge, as protobuf specifies.
                var parsed = ParseGraph(file, bytes.Slice((int)field.Start, field.Length), field.Start, located);
                if (graph is null)
                {
                    graph = parsed;
                }
                else
                {
                    graph.MergeFrom(parsed);
                }
            }
            else
            {
                rest.Write(bytes[(int)field.FieldStart..(int)field.FieldEnd]);
            }
        }

        var model = Parser<ModelProto>().ParseFrom(rest.ToArray());
        model.Graph = graph;
        return model;
    }

    private static GraphProto ParseGraph(MappedFile file, ReadOnlySpan<byte> bytes, long baseOffset, Dictionary<TensorProto, TensorData> located)
    {
        var rest = new MemoryStream();
        var initializers = new List<TensorProto>();
        var reader = new WireReader(bytes, baseOffset);
        while (reader.TryRead(out var field))
        {
            var start = (int)(field.FieldStart - baseOffset);
            var end = (int)(field.FieldEnd - baseOffset);
            if (field.Number == GraphInitializerField && field.Type == WireType.LengthDelimited)
            {
                initializers.Add(ParseInitializer(file, bytes.Slice((int)(field.Start - baseOffset), field.Length), field.Start, located));
            }
            else
            {
                rest.Write(bytes[start..end]);
            }
        }

        var graph = Parser<GraphProto>().ParseFrom(rest.ToArray());
        graph.Initializer.AddRange(initializers);
        return graph;
    }

    // Everything but raw_data goes to the generated parser; raw_data is only located.
    private static TensorProto ParseInitializer(MappedFile file, ReadOnlySpan<byte> bytes, long baseOffset, Dictionary<TensorProto, TensorData> located)
    {
        var rest = new MemoryStream();
        MappedTensorData? rawData = null;
        var reader = new WireReader(bytes, baseOffset);
        while (reader.TryRead(out var field))
        {
            if (field.Number == TensorRawDataField && field.Type == WireType.LengthDelimited)
            {
                rawData = new MappedTensorData(file, field.Start, field.Length);
            }
            else
            {
                rest.Write(bytes[(int)(field.FieldStart - baseOffset)..(int)(field.FieldEnd - baseOffset)]);
            }
        }

        var tensor = Parser<TensorProto>().ParseFrom(rest.ToArray());
        if (rawData is not null)
        {
            located[tensor] = rawData;
        }

        return tensor;
    }

    private static MessageParser<T> Parser<T>()
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).WithDiscardUnknownFields(true);
}
