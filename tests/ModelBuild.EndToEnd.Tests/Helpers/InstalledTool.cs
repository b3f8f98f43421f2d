namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>The packed ModelBuild.Tool installed as a local tool, as README tells users to.</summary>
public sealed class InstalledTool
{
    private static readonly Lock InstallLock = new();

    public InstalledTool(PackedFeed feed)
    {
        Feed = feed;
        Folder = feed.NewFolder("tool");
        string[][] commands = [["new", "tool-manifest"], ["tool", "install", "--local", "ModelBuild.Tool", "--version", feed.Version, "--add-source", feed.Feed]];

        // Test classes that install the tool run in parallel; two installs at once race for the package in the feed's NuGet folder.
        lock (InstallLock)
        {
            foreach (var command in commands)
            {
                var result = feed.Dotnet(Folder, command);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException(result.ToString());
                }
            }
        }
    }

    public PackedFeed Feed { get; }

    /// <summary>Holds the tool manifest; the tests' scratch files go here too.</summary>
    public string Folder { get; }

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public CommandResult Run(params string[] arguments) => Feed.Dotnet(Folder, ["tool", "run", "modelconvert", .. arguments]);
}
