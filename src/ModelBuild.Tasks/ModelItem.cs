using Microsoft.Build.Framework;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.HugeCtr;

namespace ModelBuild.Tasks;

/// <summary>
/// One <c>OnnxModel</c> or <c>HugeCtrModel</c> item as the targets hand it to the task: the item spec is the model's
/// full path (a HugeCTR model's graph config), and <c>_ModelBuildComputeOutputs</c> has resolved every default into metadata.
/// Errors about the item's metadata point at <see cref="ProjectFile"/>, conversion errors at the model.
/// </summary>
public sealed record ModelItem
{
    /// <summary>The <see cref="ItemType"/> of HugeCTR models.</summary>
    public const string HugeCtrItemType = "HugeCtrModel";

    /// <summary>The model's full path.</summary>
    public required string ModelPath { get; init; }

    /// <summary>"OnnxModel" or <see cref="HugeCtrItemType"/>: the item type the project lists the model as.</summary>
    public required string ItemType { get; init; }

    /// <summary>The project file (or imported file) that defines the item: where errors about its metadata point.</summary>
    public required string ProjectFile { get; init; }

    /// <summary>The project's folder: relative paths in a HugeCtrModel's metadata are relative to it, as item paths are.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The item as the project wrote it: the location conversion errors and warnings point at.</summary>
    public required string ProjectItemSpec { get; init; }

    public required string OutputXml { get; init; }

    public required string OutputBin { get; init; }

    /// <summary>The name the output's state files extend (<see cref="Tasks.DependencyFile"/>, <see cref="OutputsRecord"/>).</summary>
    public required string StateFile { get; init; }

    /// <summary>Where the task records the files this conversion read, for the next build's up-to-date check.</summary>
    public required string DependencyFile { get; init; }

    /// <summary>Where the task records the IR files it writes, before writing them.</summary>
    public required string OutputsRecord { get; init; }

    /// <summary>The ovc <c>--input</c> specification, or empty.</summary>
    public required string Input { get; init; }

    /// <summary>
    /// The ovc <c>--output</c> tensor names, comma-separated, or empty. The metadata is <c>Outputs</c>: MSBuild reserves
    /// the name <c>Output</c> (MSB4118).
    /// </summary>
    public required string Outputs { get; init; }

    /// <summary>The <c>CompressToFp16</c> metadata as written: "true" or "false" in any case.</summary>
    public required string CompressToFp16 { get; init; }

    /// <summary>The OpenVINO release the IR must load in (<c>TargetOpenVino</c>), or empty for the newest ModelBuild knows.</summary>
    public string TargetOpenVino { get; init; } = "";

    /// <summary>HugeCtrModel: the dense model file.</summary>
    public required string DenseModel { get; init; }

    /// <summary>HugeCtrModel: the sparse model folders, ';'-separated, one per embedding layer in graph-config order.</summary>
    public required string SparseModels { get; init; }

    /// <summary>HugeCtrModel: "true" puts the embedding tables into the model (keys in), "false" leaves them out (vectors in).</summary>
    public required string ConvertEmbedding { get; init; }

    /// <summary>HugeCtrModel: the non-trainable parameters file, or empty.</summary>
    public required string NtpFile { get; init; }

    /// <summary>HugeCtrModel: the ONNX graph name the model is built with.</summary>
    public required string GraphName { get; init; }

    /// <summary>How messages name the item: <c>OnnxModel 'models/a.onnx'</c>.</summary>
    public string DisplayName => $"{ItemType} '{ProjectItemSpec}'";

    public static ModelItem From(ITaskItem item) => new()
    {
        ModelPath = item.ItemSpec,
        ItemType = item.GetMetadata("ItemType"),
        ProjectFile = item.GetMetadata("ProjectFile"),
        ProjectDirectory = item.GetMetadata("ProjectDirectory"),
        ProjectItemSpec = item.GetMetadata("ProjectItemSpec"),
        OutputXml = item.GetMetadata("OutputXml"),
        OutputBin = item.GetMetadata("OutputBin"),
        StateFile = item.GetMetadata("StateFile"),
        DependencyFile = item.GetMetadata("DependencyFile"),
        OutputsRecord = item.GetMetadata("OutputsRecord"),
        Input = item.GetMetadata("Input"),
        Outputs = item.GetMetadata("Outputs"),
        CompressToFp16 = item.GetMetadata("CompressToFp16"),
        TargetOpenVino = item.GetMetadata("TargetOpenVino"),
        DenseModel = item.GetMetadata("DenseModel"),
        SparseModels = item.GetMetadata("SparseModels"),
        ConvertEmbedding = item.GetMetadata("ConvertEmbedding"),
        NtpFile = item.GetMetadata("NtpFile"),
        GraphName = item.GetMetadata("GraphName"),
    };

    /// <summary>The converter request, exactly what <c>modelconvert</c> (<c>modelconvert hugectr</c>) builds for the same options.</summary>
    /// <exception cref="Core.Diagnostics.ModelBuildException">The Input specification is malformed (MB2003), or TargetOpenVino is not a release (MB2007).</exception>
    /// <exception cref="FormatException">CompressToFp16 or ConvertEmbedding is neither true nor false, or a HugeCtrModel has no DenseModel.</exception>
    public ConversionRequest ToRequest()
    {
        if (!bool.TryParse(CompressToFp16, out var compress))
        {
            throw new FormatException($"CompressToFp16 is '{CompressToFp16}'; it must be true or false.");
        }

        var request = ConversionRequest.FromOvcOptions(ModelPath, OutputXml, NonEmpty(Input), NonEmpty(Outputs), compress, TargetOpenVino);
        return ItemType == HugeCtrItemType ? request with { HugeCtr = ToHugeCtrOptions() } : request;
    }

    private HugeCtrOptions ToHugeCtrOptions()
    {
        if (string.IsNullOrWhiteSpace(DenseModel))
        {
            throw new FormatException("A HugeCtrModel item needs DenseModel metadata: the dense model file of the snapshot.");
        }

        if (!bool.TryParse(ConvertEmbedding, out var convertEmbedding))
        {
            throw new FormatException($"ConvertEmbedding is '{ConvertEmbedding}'; it must be true or false.");
        }

        return new HugeCtrOptions
        {
            DenseModelPath = Resolve(DenseModel),
            SparseModelPaths = SparseModels.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Resolve).ToList(),
            ConvertEmbedding = convertEmbedding,
            NonTrainableParametersPath = string.IsNullOrWhiteSpace(NtpFile) ? null : Resolve(NtpFile),
            GraphName = GraphName,
        };
    }

    private string Resolve(string path) => Path.GetFullPath(path.Trim(), ProjectDirectory);

    private static string[] NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? [] : [value];
}
