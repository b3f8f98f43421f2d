using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Conversion;

/// <summary>What a conversion produced.</summary>
public sealed record ConversionResult(
    string XmlPath,
    string BinPath,
    int LayerCount,
    long BinBytes,
    IReadOnlyList<ModelBuildException> Warnings);
