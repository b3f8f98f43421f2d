using System.Globalization;
using Google.Protobuf;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Files;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// Writes an <see cref="OnnxModel"/> as an .onnx file. Initializer bytes kept outside the protobuf
/// (located raw_data, external data, the payloads of a model built in memory) are streamed into the
/// file in 1 MiB chunks, so tables of any size pass through without being held in managed memory.
/// When the protobuf would exceed its 2 GiB limit, payloads of 1 KiB and more go to ONNX external data
/// in '&lt;file&gt;.data' beside the model instead, as <c>onnx.save_model(save_as_external_data=True)</c>
/// does. Both files are <see cref="StagedFile"/>s, renamed into place only when complete.
/// </summary>
public static class OnnxModelWriter
{
    private const int ModelGraphField = 7;
    private const int GraphInitializerField = 5;
    private const int TensorRawDataField = 9;
    private const int ChunkBytes = 1 << 20;
    private const long ExternalThreshold = 1024;

    public static void Write(OnnxModel model, string path) => Write(model, path, int.MaxValue);

    /// <param name="protobufLimit">The largest .onnx written without external data (2 GiB; smaller in tests).</param>
    internal static void Write(OnnxModel model, string path, long protobufLimit)
    {
        var shell = model.Proto.Clone();
        shell.Graph = null;
        var graph = model.Proto.Graph.Clone();
        graph.Initializer.Clear();

        var dataPath = path + ".data";
        var initializers = Layout(model, externalLocation: null);
        if (ModelSize(shell, graph, initializers) > protobufLimit)
        {
            initializers = Layout(model, Path.GetFileName(dataPath));
            if (ModelSize(shell, graph, initializers) > protobufLimit)
            {
                throw new ModelBuildException(DiagnosticCode.ModelTooLarge,
                    "The model's structure alone exceeds protobuf's 2 GiB limit, even with its weights as external data.", path);
            }
        }

        var external = initializers.Where(i => i.External is not null).ToList();
        try
        {
            using var onnx = StagedFile.Create(path);
            var stream = onnx.Stream;
            stream.Write(shell.ToByteArray());
            WriteLengthPrefix(stream, ModelGraphField, GraphSize(graph, initializers));
            stream.Write(graph.ToByteArray());
            foreach (var initializer in initializers)
            {
                WriteLengthPrefix(stream, GraphInitializerField, initializer.Size);
                stream.Write(initializer.Header.ToByteArray());
                if (initializer.Inline is { } inline)
                {
                    WriteLengthPrefix(stream, TensorRawDataField, inline.Length);
                    Copy(inline, stream);
                }
            }

            if (external.Count > 0)
            {
                using var data = StagedFile.Create(dataPath);
                foreach (var initializer in external)
                {
                    Copy(initializer.External!, data.Stream);
                }

                data.Commit();
            }

            onnx.Commit();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ModelBuildException(DiagnosticCode.OutputWriteFailed, $"Could not write the ONNX model: {error.Message}", path);
        }
    }

    // One initializer as written: its fields without the bytes, and where the bytes go.
    private sealed record Initializer(TensorProto Header, TensorData? Inline, TensorData? External)
    {
        public long Size => Header.CalculateSize() + (Inline is null ? 0 : PrefixSize(TensorRawDataField, Inline.Length) + Inline.Length);
    }

    // Bytes kept outside the protobuf go inline as raw_data, or with a location to external data.
    private static List<Initializer> Layout(OnnxModel model, string? externalLocation)
    {
        var list = new List<Initializer>();
        long offset = 0;
        foreach (var tensor in model.Proto.Graph.Initializer)
        {
            var external = tensor.DataLocation == TensorProto.Types.DataLocation.External;
            var payload = model.Payload(tensor) ?? (external ? ExternalData.Resolve(tensor, model) : null);
            if (payload is null)
            {
                list.Add(new Initializer(tensor, null, null));
                continue;
            }

            var header = tensor.Clone();
            header.DataLocation = TensorProto.Types.DataLocation.Default;
            header.ExternalData.Clear();
            if (externalLocation is not null && payload.Length >= ExternalThreshold)
            {
                header.DataLocation = TensorProto.Types.DataLocation.External;
                header.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = externalLocation });
                header.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
                header.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = payload.Length.ToString(CultureInfo.InvariantCulture) });
                offset += payload.Length;
                list.Add(new Initializer(header, null, payload));
            }
            else
            {
                list.Add(new Initializer(header, payload, null));
            }
        }

        return list;
    }

    private static long GraphSize(GraphProto graph, List<Initializer> initializers) =>
        graph.CalculateSize() + initializers.Sum(i => PrefixSize(GraphInitializerField, i.Size) + i.Size);

    private static long ModelSize(ModelProto shell, GraphProto graph, List<Initializer> initializers)
    {
        var graphSize = GraphSize(graph, initializers);
        return shell.CalculateSize() + PrefixSize(ModelGraphField, graphSize) + graphSize;
    }

    private static long PrefixSize(int field, long length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeRawVarint64Size((ulong)length);

    private static void WriteLengthPrefix(Stream stream, int field, long length)
    {
        WriteVarint(stream, WireFormat.MakeTag(field, WireFormat.WireType.LengthDelimited));
        WriteVarint(stream, (ulong)length);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        Span<byte> bytes = stackalloc byte[10];
        var count = 0;
        do
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            bytes[count++] = value == 0 ? low : (byte)(low | 0x80);
        }
        while (value != 0);

        stream.Write(bytes[..count]);
    }

    private static void Copy(TensorData data, Stream stream)
    {
        var buffer = new byte[(int)Math.Min(ChunkBytes, data.Length)];
        for (long offset = 0; offset < data.Length; offset += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, data.Length - offset));
            data.Read(offset, chunk);
            stream.Write(chunk);
        }
    }
}
