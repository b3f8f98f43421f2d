using Google.Protobuf;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>Real models for the end-to-end tests: copies of ONNX backend tests, and small models generated here.</summary>
public static class TestModels
{
    /// <summary>The ONNX backend test data (Debian libonnx-testdata); ONNX_BACKEND_TEST_DATA points elsewhere.</summary>
    public static string BackendNodeTests { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("ONNX_BACKEND_TEST_DATA") ?? "/usr/include/onnx/backend/test/data", "node");

    /// <summary>The model of one backend test, e.g. "test_relu" (input x, output y, shape [3,4,5]).</summary>
    public static string BackendModel(string test) => Path.Combine(BackendNodeTests, test, "model.onnx");

    public static string CopyBackendModel(string test, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(BackendModel(test), destination, overwrite: true);
        return destination;
    }

    /// <summary>
    /// Copies a trained HugeCTR model of the shared fixtures (graph config, dense model, sparse model folders, ntp file;
    /// not the references and samples) into <paramref name="destination"/>. The fixtures are in
    /// <c>&lt;repository&gt;/../shared/fixtures/hugectr</c>; MODELBUILD_FIXTURES names the folder that holds hugectr/.
    /// </summary>
    public static void CopyHugeCtrModel(string repositoryRoot, string name, string destination)
    {
        var source = Path.Combine(Fixtures(repositoryRoot), "hugectr", name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("samples", StringComparison.Ordinal) || relative.StartsWith("reference", StringComparison.Ordinal) || relative == "manifest.json")
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
    }

    /// <summary>The shared fixtures: <c>&lt;repository&gt;/../shared/fixtures</c>, or MODELBUILD_FIXTURES.</summary>
    public static string Fixtures(string repositoryRoot) =>
        Environment.GetEnvironmentVariable("MODELBUILD_FIXTURES") is { Length: > 0 } root ? root : Path.Combine(repositoryRoot, "..", "shared", "fixtures");

    /// <summary>Bytes that are not a protobuf message: an ONNX reader must reject them.</summary>
    public static void WriteMalformed(string path) =>
        File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x6E, 0x6F, 0x74, 0x20, 0x6F, 0x6E, 0x6E, 0x78]);

    /// <summary>
    /// y = Relu(x + w), x [2,3], w [3] float32 weights, with the sum named "sum" so <c>--output sum</c> can cut the Relu
    /// away. With <paramref name="externalData"/>, w lives in "&lt;model&gt;.data" beside the model (ONNX external
    /// data: location, offset, length) and <paramref name="weights"/> go there. With <paramref name="unusedInput"/>, the
    /// graph also declares an input [3] that nothing reads.
    /// </summary>
    public static string WriteAddRelu(string path, bool externalData = false, float[]? weights = null, string? unusedInput = null)
    {
        weights ??= [1f, -2f, 3f];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var raw = new byte[weights.Length * sizeof(float)];
        Buffer.BlockCopy(weights, 0, raw, 0, raw.Length);

        var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float };
        w.Dims.Add(weights.Length);
        if (externalData)
        {
            var dataFile = Path.GetFileName(path) + ".data";
            File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(path)!, dataFile), raw);
            w.DataLocation = TensorProto.Types.DataLocation.External;
            w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataFile });
            w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
            w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = raw.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        else
        {
            w.RawData = ByteString.CopyFrom(raw);
        }

        var graph = new GraphProto { Name = "add_relu" };
        graph.Input.Add(FloatValue("x", 2, weights.Length));
        if (unusedInput is not null)
        {
            graph.Input.Add(FloatValue(unusedInput, weights.Length));
        }

        graph.Output.Add(FloatValue("y", 2, weights.Length));
        graph.Initializer.Add(w);
        graph.Node.Add(Node("Add", "add", ["x", "w"], "sum"));
        graph.Node.Add(Node("Relu", "relu", ["sum"], "y"));

        var model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild.EndToEnd.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>
    /// An embedding lookup, y = Gather(table, ids), whose float32 table of about <paramref name="mebibytes"/> MiB of
    /// pseudo-random values lives in external data ("&lt;model&gt;.data"): big enough that writing its IR takes a
    /// while. The data is written in 1 MiB chunks, never held whole.
    /// </summary>
    public static string WriteLargeEmbedding(string path, int mebibytes)
    {
        const int Width = 256;
        const int ChunkBytes = 1 << 20;
        var rows = (long)mebibytes * ChunkBytes / (Width * sizeof(float));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var dataFile = Path.GetFileName(path) + ".data";
        var random = new Random(13);
        var chunk = new float[ChunkBytes / sizeof(float)];
        using (var data = File.Create(Path.Combine(Path.GetDirectoryName(path)!, dataFile)))
        {
            for (var written = 0; written < mebibytes; written++)
            {
                for (var i = 0; i < chunk.Length; i++)
                {
                    chunk[i] = (float)(random.NextDouble() - 0.5);
                }

                data.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan()));
            }
        }

        var table = new TensorProto { Name = "table", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        table.Dims.Add([rows, Width]);
        table.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataFile });
        table.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (rows * Width * sizeof(float)).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var ids = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = new TensorShapeProto() };
        ids.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 4 });
        var graph = new GraphProto { Name = "large_embedding" };
        graph.Input.Add(new ValueInfoProto { Name = "ids", Type = new TypeProto { TensorType = ids } });
        graph.Output.Add(FloatValue("y", 4, Width));
        graph.Initializer.Add(table);
        graph.Node.Add(Node("Gather", "lookup", ["table", "ids"], "y"));

        var model = new ModelProto { IrVersion = 8, ProducerName = "ModelBuild.EndToEnd.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto FloatValue(string name, params long[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        tensor.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
