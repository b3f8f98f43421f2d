using Microsoft.Build.Framework;
using ModelBuild.Core.Conversion;

namespace ModelBuild.Tasks;

/// <summary>
/// One <c>OnnxModel</c> item as the targets hand it to the task: the item spec is the model's full path, and
/// <c>_ModelBuildComputeOutputs</c> has resolved every default into metadata.
/// </summary>
public sealed record OnnxModelItem
{
    /// <summary>The model's full path.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The item as the project wrote it: the location errors and warnings point at.</summary>
    public required string ProjectItemSpec { get; init; }

    public required string OutputXml { get; init; }

    public required string OutputBin { get; init; }

    /// <summary>Where the task records the files this conversion read, for the next build's up-to-date check.</summary>
    public required string DependencyFile { get; init; }

    /// <summary>The ovc <c>--input</c> specification, or empty.</summary>
    public required string Input { get; init; }

    /// <summary>
    /// The ovc <c>--output</c> tensor names, comma-separated, or empty. The metadata is <c>Outputs</c>: MSBuild reserves
    /// the name <c>Output</c> (MSB4118).
    /// </summary>
    public required string Outputs { get; init; }

    /// <summary>The <c>CompressToFp16</c> metadata as written: "true" or "false" in any case.</summary>
    public required string CompressToFp16 { get; init; }

    public static OnnxModelItem From(ITaskItem item) => new()
    {
        ModelPath = item.ItemSpec,
        ProjectItemSpec = item.GetMetadata("ProjectItemSpec"),
        OutputXml = item.GetMetadata("OutputXml"),
        OutputBin = item.GetMetadata("OutputBin"),
        DependencyFile = item.GetMetadata("DependencyFile"),
        Input = item.GetMetadata("Input"),
        Outputs = item.GetMetadata("Outputs"),
        CompressToFp16 = item.GetMetadata("CompressToFp16"),
    };

    /// <summary>The converter request, exactly what <c>modelconvert</c> builds for the same options.</summary>
    /// <exception cref="Core.Diagnostics.ModelBuildException">The Input specification is malformed (MB2003).</exception>
    /// <exception cref="FormatException">CompressToFp16 is neither true nor false.</exception>
    public ConversionRequest ToRequest()
    {
        if (!bool.TryParse(CompressToFp16, out var compress))
        {
            throw new FormatException($"CompressToFp16 is '{CompressToFp16}'; it must be true or false.");
        }

        return ConversionRequest.FromOvcOptions(ModelPath, OutputXml, NonEmpty(Input), NonEmpty(Outputs), compress);
    }

    private static string[] NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? [] : [value];
}
