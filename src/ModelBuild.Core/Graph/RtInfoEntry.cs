namespace ModelBuild.Core.Graph;

/// <summary>
/// A runtime-info attribute written to a layer's <c>&lt;rt_info&gt;</c>, such as the
/// <c>decompression</c> marker on the Convert that follows an FP16 weight.
/// </summary>
public sealed record RtInfoEntry(string Name, string Version, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    public static RtInfoEntry Decompression { get; } = new("decompression", "0", []);

    public static RtInfoEntry Precise { get; } = new("precise", "0", []);
}
