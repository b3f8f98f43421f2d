namespace ModelBuild.Core.Tests.Helpers;

/// <summary>
/// The read-only fixtures beside the repository, in <c>&lt;repository&gt;/../shared/fixtures</c> (override with
/// MODELBUILD_FIXTURES). A missing folder fails the test that needs it: fixtures must be checked, not skipped.
/// </summary>
public static class SharedFixtures
{
    public static string Root { get; } = FindRoot();

    /// <summary>A fixture folder, which must exist.</summary>
    public static string Folder(string name)
    {
        var folder = Path.Combine(Root, name);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The fixture {folder} is missing.");
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("MODELBUILD_FIXTURES") is { Length: > 0 } root)
        {
            return Path.GetFullPath(root);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelBuild.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures"));
            }
        }

        throw new DirectoryNotFoundException("The repository root (with ModelBuild.sln) was not found above the test binaries.");
    }
}
