using ModelBuild.Core.Diagnostics;
using NuGet.Versioning;

namespace ModelBuild.Core.Ir;

/// <summary>An OpenVINO release and the newest operation set it reads (op versions up to <c>opsetN</c>).</summary>
public sealed record OpenVinoRelease(NuGetVersion Version, int Opset)
{
    /// <summary>The release as OpenVINO names it: <c>2022.1</c>, <c>2024.6.0</c>.</summary>
    public string Name => Version.OriginalVersion ?? Version.ToNormalizedString();

    /// <summary>Whether the release loads a model whose inputs or outputs have a static zero-sized dimension (see <see cref="OpenVinoReleases.FirstTakingZeroDimensions"/>).</summary>
    public bool TakesZeroDimensions => Version >= OpenVinoReleases.FirstTakingZeroDimensions.Version;

    public override string ToString() => $"{Name} (opset{Opset})";
}

/// <summary>
/// Which OpenVINO release reads which op versions: OpenVINO's "Available Operation Sets" table. A release reads the
/// opset it introduced and every older one; IR v11, which ModelBuild writes, first loads in 2022.1.
/// </summary>
public static class OpenVinoReleases
{
    /// <summary>The releases that introduced an opset, oldest first.</summary>
    public static IReadOnlyList<OpenVinoRelease> Table { get; } =
    [
        new(NuGetVersion.Parse("2022.1"), Opset: 8),
        new(NuGetVersion.Parse("2022.2"), Opset: 9),
        new(NuGetVersion.Parse("2022.3"), Opset: 10),
        new(NuGetVersion.Parse("2023.0"), Opset: 11),
        new(NuGetVersion.Parse("2023.1"), Opset: 12),
        new(NuGetVersion.Parse("2023.2"), Opset: 13),
        new(NuGetVersion.Parse("2024.0"), Opset: 14),
        new(NuGetVersion.Parse("2024.5"), Opset: 15),
    ];

    /// <summary>The newest release ModelBuild knows: the default target, whose IR uses every op version ModelBuild writes.</summary>
    public static OpenVinoRelease Newest => Table[^1];

    /// <summary>The oldest release: the first that loads IR v11.</summary>
    public static OpenVinoRelease Oldest => Table[0];

    /// <summary>
    /// The first release that loads a model whose inputs or outputs have a static zero-sized dimension. Before it, loading
    /// built InferenceEngine's legacy network (<c>CNNNetworkNGraphImpl::createDataForResult</c>), which refuses any static
    /// zero dimension of a Parameter or Result ("has zero dimension which is not allowed"): every 2022 read did (the 2022.2
    /// runtime of the tests refuses), and 2023 releases still did when compiling for a device whose plugin was on the old
    /// plugin API (their sources keep the check; the CPU plugin left that API in late 2023). 2024.0 removed API 1.0 and the
    /// legacy network with it. Conservative: a 2023 release may load such a model on some devices.
    /// </summary>
    public static OpenVinoRelease FirstTakingZeroDimensions { get; } = Table.Single(r => r.Name == "2024.0");

    /// <summary>
    /// The target for a release number (<c>2022.1</c>, <c>2023.3</c>, <c>2024.6.0</c>): that version with the newest opset
    /// released at or before it (2023.3 reads opset13, like 2023.2).
    /// </summary>
    /// <exception cref="ModelBuildException">Not a release number, or older than 2022.1 (MB2007).</exception>
    public static OpenVinoRelease Parse(string text)
    {
        if (!NuGetVersion.TryParse(text.Trim(), out var version) || version.IsPrerelease || version.HasMetadata)
        {
            throw new ModelBuildException(DiagnosticCode.InvalidTargetRelease,
                $"'{text}' is not an OpenVINO release: give one like 2022.1, 2023.3 or 2024.6.0 (releases from {Oldest.Name} on).");
        }

        var introduced = Table.LastOrDefault(r => r.Version <= version)
            ?? throw new ModelBuildException(DiagnosticCode.InvalidTargetRelease,
                $"OpenVINO {text} cannot read IR v11, which ModelBuild writes: the oldest target is {Oldest.Name}.");
        return new OpenVinoRelease(version, introduced.Opset);
    }

    /// <summary>The first release that reads <c>opset<paramref name="opset"/></c>, or null for an opset newer than every known release.</summary>
    public static OpenVinoRelease? FirstWith(int opset) => Table.FirstOrDefault(r => r.Opset >= opset);
}
