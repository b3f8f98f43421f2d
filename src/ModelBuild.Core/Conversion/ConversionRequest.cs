using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Frontends.Onnx;

namespace ModelBuild.Core.Conversion;

/// <summary>What to convert and how: the one input of <see cref="ModelConverter.Convert"/>.</summary>
public sealed record ConversionRequest
{
    /// <summary>The source model: an .onnx file, or a HugeCTR graph config (JSON) when <see cref="HugeCtr"/> is set.</summary>
    public required string InputPath { get; init; }

    /// <summary>Set for a HugeCTR model: its other files and how to convert it. It goes to ONNX in memory, then on like any ONNX model.</summary>
    public HugeCtrOptions? HugeCtr { get; init; }

    /// <summary>The IR .xml to write; its .bin goes beside it with the same name.</summary>
    public required string OutputXmlPath { get; init; }

    public FrontendOptions Frontend { get; init; } = new();

    /// <summary>Store f32/f64 weights as f16 with a decompressing Convert, as ovc does by default.</summary>
    public bool CompressToFp16 { get; init; } = true;

    /// <summary>Options echoed into the IR's <c>conversion_parameters</c> (as ovc does for non-default options).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EchoedOptions { get; init; } = [];

    public string OutputBinPath => Path.ChangeExtension(OutputXmlPath, ".bin");
}
