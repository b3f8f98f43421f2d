using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// A loaded ONNX model: the parsed protobuf, plus where the bytes of the main graph's initializers
/// are when they are not in <see cref="Proto"/>: the raw_data located in the memory-mapped model
/// file, or — for a model built in memory by another frontend — the payloads it supplies.
/// </summary>
public sealed class OnnxModel
{
    private readonly IReadOnlyDictionary<TensorProto, TensorData> _payloads;

    /// <param name="path">The .onnx file, or for a model built in memory the source file it was built from.</param>
    /// <param name="payloads">Initializer bytes kept outside the protobuf (keyed by reference), in the IR layout of their type.</param>
    internal OnnxModel(string path, ModelProto proto, MappedFileSet files, IReadOnlyDictionary<TensorProto, TensorData> payloads)
    {
        Path = path;
        Proto = proto;
        Files = files;
        _payloads = payloads;
    }

    /// <summary>Full path of the .onnx file (or of the source a model built in memory came from).</summary>
    public string Path { get; }

    /// <summary>The folder external data locations are resolved against.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public ModelProto Proto { get; }

    /// <summary>The mappings of this model and its external data files; owned by the caller.</summary>
    public MappedFileSet Files { get; }

    /// <summary>The opset version the model imports for <paramref name="domain"/> ("" and "ai.onnx" are the default domain), or null.</summary>
    public long? OpsetVersion(string domain)
    {
        foreach (var import in Proto.OpsetImport)
        {
            if (OnnxDomains.Normalize(import.Domain) == OnnxDomains.Normalize(domain))
            {
                return import.Version;
            }
        }

        return null;
    }

    /// <summary>The bytes of an initializer kept outside the protobuf (located raw_data or a supplied payload), or null.</summary>
    public TensorData? Payload(TensorProto tensor) => _payloads.GetValueOrDefault(tensor);
}

/// <summary>Operator-set domain names.</summary>
public static class OnnxDomains
{
    public const string Default = "";
    public const string Microsoft = "com.microsoft";
    public const string PyTorchAten = "org.pytorch.aten";

    /// <summary>"ai.onnx" is another name of the default domain.</summary>
    public static string Normalize(string domain) => domain == "ai.onnx" ? Default : domain;
}
