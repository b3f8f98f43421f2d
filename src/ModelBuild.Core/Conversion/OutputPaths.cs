namespace ModelBuild.Core.Conversion;

/// <summary>Where ovc would put the IR for <c>--output_model</c>.</summary>
public static class OutputPaths
{
    /// <summary>
    /// The .xml path: <paramref name="outputModel"/> when it names a file (".xml" added if missing), a
    /// folder's <c>&lt;input stem&gt;.xml</c> when it names a folder, or the input stem in <paramref name="currentDirectory"/>.
    /// </summary>
    public static string Resolve(string inputPath, string? outputModel, string currentDirectory)
    {
        var stem = Path.GetFileNameWithoutExtension(inputPath) + ".xml";
        if (string.IsNullOrEmpty(outputModel))
        {
            return Path.Combine(currentDirectory, stem);
        }

        var full = Path.GetFullPath(outputModel, currentDirectory);
        if (Directory.Exists(full) || outputModel.EndsWith('/') || outputModel.EndsWith(Path.DirectorySeparatorChar))
        {
            return Path.Combine(full, stem);
        }

        return full.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? full : full + ".xml";
    }
}
