using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Ir;

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

    /// <summary>
    /// The OpenVINO release the IR must load in: op versions it does not read are written as older versions or exact
    /// decompositions (or the conversion fails, MB2008); before 2024.0, an unused input with a zero-sized dimension is left
    /// out (MB9002) and a used one refused (MB2009). Default: the newest release ModelBuild knows.
    /// </summary>
    public OpenVinoRelease Target { get; init; } = OpenVinoReleases.Newest;

    /// <summary>Options echoed into the IR's <c>conversion_parameters</c> (as ovc does for non-default options).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EchoedOptions { get; init; } = [];

    public string OutputBinPath => Path.ChangeExtension(OutputXmlPath, ".bin");

    /// <summary>
    /// The request for ovc-style options (<c>--input</c>, <c>--output</c>, <c>--compress_to_fp16</c>), echoing the
    /// non-default ones into the IR as ovc does. The CLI and the MSBuild task both build requests here, so the same
    /// model and options give byte-identical IR from either.
    /// </summary>
    /// <exception cref="Diagnostics.ModelBuildException">An input specification is malformed (MB2003), or the target is not a release (MB2007).</exception>
    public static ConversionRequest FromOvcOptions(
        string inputPath, string outputXmlPath, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, bool compressToFp16, string? targetOpenVino = null)
    {
        // Paths are echoed without their folders, as ovc does.
        var echoed = new List<KeyValuePair<string, string>> { new("input_model", $"DIR/{Path.GetFileName(inputPath)}") };
        if (inputs.Count > 0)
        {
            echoed.Add(new("input", string.Join(",", inputs)));
        }

        if (outputs.Count > 0)
        {
            echoed.Add(new("output", string.Join(",", outputs)));
        }

        if (!compressToFp16)
        {
            echoed.Add(new("compress_to_fp16", "False"));
        }

        var target = string.IsNullOrWhiteSpace(targetOpenVino) ? OpenVinoReleases.Newest : OpenVinoReleases.Parse(targetOpenVino);
        if (!string.IsNullOrWhiteSpace(targetOpenVino))
        {
            echoed.Add(new("target_openvino", target.Name));
        }

        return new ConversionRequest
        {
            InputPath = inputPath,
            OutputXmlPath = outputXmlPath,
            Frontend = new FrontendOptions { Inputs = InputSpecParser.Parse(inputs), Outputs = InputSpecParser.ParseOutputs(outputs) },
            CompressToFp16 = compressToFp16,
            Target = target,
            EchoedOptions = echoed,
        };
    }
}
