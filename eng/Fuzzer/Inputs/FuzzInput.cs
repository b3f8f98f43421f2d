using System.Text.Json;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.HugeCtr;

namespace ModelBuild.Fuzzing.Inputs;

/// <summary>How to convert a fuzz input: which file is the model, and the conversion's options.</summary>
public sealed record ConversionSpec
{
    /// <summary>The .onnx file, or the HugeCTR graph config when <see cref="DenseModel"/> is set (relative to the input folder).</summary>
    public required string Model { get; init; }

    public string[] Inputs { get; init; } = [];

    public string[] Outputs { get; init; } = [];

    public bool CompressToFp16 { get; init; } = true;

    /// <summary>Set for a HugeCTR model: its dense model file.</summary>
    public string? DenseModel { get; init; }

    public string[] SparseModels { get; init; } = [];

    public string? NonTrainableParameters { get; init; }

    public bool ConvertEmbedding { get; init; }

    public bool IsHugeCtr => DenseModel is not null;

    /// <summary>The request for this input materialized in <paramref name="folder"/>, writing to <paramref name="outputXml"/>.</summary>
    public ConversionRequest ToRequest(string folder, string outputXml)
    {
        var request = ConversionRequest.FromOvcOptions(Path.Combine(folder, Model), outputXml, Inputs, Outputs, CompressToFp16);
        return DenseModel is null ? request : request with
        {
            HugeCtr = new HugeCtrOptions
            {
                DenseModelPath = Path.Combine(folder, DenseModel),
                SparseModelPaths = SparseModels.Select(s => Path.Combine(folder, s)).ToArray(),
                NonTrainableParametersPath = NonTrainableParameters is null ? null : Path.Combine(folder, NonTrainableParameters),
                ConvertEmbedding = ConvertEmbedding,
            },
        };
    }
}

/// <summary>
/// One input of the converter: files (relative path → bytes; sparse model folders are paths with a folder)
/// and how to convert them. The same (seed, index) always gives the same input, so a finding can be
/// regenerated; a saved finding is this folder plus <c>conversion.json</c>.
/// </summary>
public sealed record FuzzInput(string Origin, IReadOnlyDictionary<string, byte[]> Files, ConversionSpec Spec)
{
    public const string SpecFileName = "conversion.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public long TotalBytes => Files.Values.Sum(f => (long)f.Length);

    /// <summary>Writes the files into <paramref name="folder"/> (which must be empty or absent).</summary>
    public void Materialize(string folder)
    {
        foreach (var (name, bytes) in Files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>Saves the input with its <c>conversion.json</c>, so <see cref="Load"/> gives it back.</summary>
    public void Save(string folder)
    {
        Materialize(folder);
        File.WriteAllText(Path.Combine(folder, SpecFileName), JsonSerializer.Serialize(Spec, JsonOptions));
    }

    /// <summary>An input saved by <see cref="Save"/>.</summary>
    public static FuzzInput Load(string folder)
    {
        var spec = JsonSerializer.Deserialize<ConversionSpec>(File.ReadAllText(Path.Combine(folder, SpecFileName)), JsonOptions)
            ?? throw new InvalidDataException($"{folder}: {SpecFileName} is empty.");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not (SpecFileName or "finding.json"))
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
        return new FuzzInput(Path.GetFileName(folder), files, spec);
    }
}
