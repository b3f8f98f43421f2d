namespace ModelBuild.Core.Tests;

/// <summary>
/// The read-only fixtures beside the repository, in <c>&lt;repository&gt;/../shared/fixtures</c> (override with
/// MODELBUILD_FIXTURES). A missing folder fails the test that needs it: fixtures must be checked, not skipped.
/// </summary>
public static class SharedFixtures
{
    /// <summary>The repository's root folder (the one with ModelBuild.sln), above the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Environment.GetEnvironmentVariable("MODELBUILD_FIXTURES") is { Length: > 0 } root
        ? Path.GetFullPath(root)
        : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures"));

    /// <summary>A fixture folder, which must exist.</summary>
    public static string Folder(string name)
    {
        var folder = Path.Combine(Root, name);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The fixture {folder} is missing.");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelBuild.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with ModelBuild.sln) was not found above the test binaries.");
    }
}
