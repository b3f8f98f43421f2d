using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// A loaded ONNX model: the parsed protobuf, plus where the raw_data bytes of the main graph's
/// initializers are in the memory-mapped model file (they are not in <see cref="Proto"/>).
/// </summary>
public sealed class OnnxModel
{
    private readonly Dictionary<TensorProto, (long Offset, long Length)> _locatedRawData;

    internal OnnxModel(string path, ModelProto proto, MappedFile file, MappedFileSet files, Dictionary<TensorProto, (long Offset, long Length)> locatedRawData)
    {
        Path = path;
        Proto = proto;
        File = file;
        Files = files;
        _locatedRawData = locatedRawData;
    }

    /// <summary>Full path of the .onnx file.</summary>
    public string Path { get; }

    /// <summary>The folder external data locations are resolved against.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public ModelProto Proto { get; }

    public MappedFile File { get; }

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

    /// <summary>Where an initializer's raw_data sits in the model file, if it was located rather than parsed.</summary>
    public (long Offset, long Length)? LocatedRawData(TensorProto tensor) =>
        _locatedRawData.TryGetValue(tensor, out var location) ? location : null;
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
