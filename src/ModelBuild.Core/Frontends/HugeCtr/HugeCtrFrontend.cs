using ModelBuild.Core.Onnx;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// HugeCTR trained models → ONNX, with the inputs, outputs and semantics of NVIDIA's
/// <c>hugectr2onnx.converter.convert</c>. The ONNX model is built in memory with its weights left in the
/// model files; <see cref="Conversion.ModelConverter"/> translates it on to IR, <see cref="WriteOnnx"/>
/// writes it as an .onnx file. Where hugectr2onnx fails or writes an invalid model, this writes a valid one
/// (docs/hugectr.md lists the differences).
/// </summary>
public static class HugeCtrFrontend
{
    /// <summary>
    /// The ONNX model of a HugeCTR graph config and its model files. Its initializers' bytes are views of
    /// the model files mapped in <paramref name="files"/>, which must outlive the returned model.
    /// </summary>
    /// <exception cref="Diagnostics.ModelBuildException">MB4001–MB4006: the config or a model file is wrong (the message names the layer and file).</exception>
    public static OnnxModel ToOnnx(string graphConfigPath, HugeCtrOptions options, MappedFileSet files) =>
        HugeCtrConversion.Run(graphConfigPath, options, files);

    /// <summary>Converts a HugeCTR model to an .onnx file, as <c>hugectr2onnx.converter.convert</c> does.</summary>
    public static void WriteOnnx(string graphConfigPath, HugeCtrOptions options, string onnxPath)
    {
        using var files = new MappedFileSet();
        OnnxModelWriter.Write(ToOnnx(graphConfigPath, options, files), onnxPath);
    }
}
