namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>The temporary files under a folder, as a user looking for litter would find them.</summary>
public static class TemporaryFiles
{
    /// <summary>Any tool's `.tmp` files, not only ModelBuild's: none may be left.</summary>
    public static List<string> Under(string folder) => [.. Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories)];

    /// <summary>Whether a writer has put bytes in the file yet (false once it was renamed into place).</summary>
    public static bool IsBeingWritten(string file)
    {
        try
        {
            return new FileInfo(file).Length > 0;
        }
        catch (FileNotFoundException)
        {
            // Renamed into place between the listing and this look.
            return false;
        }
    }
}
