using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Conversion;

/// <summary>What a conversion produced, and the files it read (the model and its external data files).</summary>
public sealed record ConversionResult(
    string XmlPath,
    string BinPath,
    int LayerCount,
    long BinBytes,
    int CompressedWeights,
    IReadOnlyList<ModelBuildException> Warnings,
    IReadOnlyList<string> SourceFiles);
