using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Conversion;

/// <summary>What a conversion produced.</summary>
public sealed record ConversionResult(
    string XmlPath,
    string BinPath,
    int LayerCount,
    long BinBytes,
    int CompressedWeights,
    IReadOnlyList<ModelBuildException> Warnings);
