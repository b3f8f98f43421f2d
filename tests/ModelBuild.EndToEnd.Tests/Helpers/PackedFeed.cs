using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

[assembly: AssemblyFixture(typeof(ModelBuild.EndToEnd.Tests.Helpers.PackedFeed))]

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>
/// Packs ModelBuild and ModelBuild.Tool once per test run into a folder feed, with a version no earlier run used
/// (NuGet never refreshes a cached id and version). Everything lives in one temporary folder outside the
/// repository: the feed, an isolated NuGet packages folder, and a nuget.config, Directory.Build.props and
/// Directory.Packages.props that keep every consumer project below it from seeing the repository's settings.
/// </summary>
public sealed partial class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        RepositoryRoot = typeof(PackedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        Root = Directory.CreateTempSubdirectory("modelbuild-e2e-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        WriteIsolationFiles();

        var suffix = "e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        foreach (var project in new[] { "src/ModelBuild.Tasks/ModelBuild.Tasks.csproj", "src/ModelBuild.Tool/ModelBuild.Tool.csproj" })
        {
            // The build goes to its own artifacts folder: nothing in the repository's bin/obj changes under a running test.
            var pack = Helpers.Dotnet.Run(RepositoryRoot, PackagesFolder, "pack", Path.Combine(RepositoryRoot, project), "-c", "Release",
                "-o", Feed, "--artifacts-path", Path.Combine(Root, "pack-artifacts"), $"-p:VersionSuffix={suffix}",
                "-nodeReuse:false", "--disable-build-servers", "-v:q");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException(pack.ToString());
            }
        }

        // The tool comes as a package per platform (ModelBuild.Tool.linux-x64.<version>.nupkg, ...) and the one users
        // install, which names them: its version is the first thing after the id.
        Version = Directory.GetFiles(Feed, "ModelBuild.Tool.*.nupkg").Select(p => PackageVersion().Match(Path.GetFileName(p)))
            .Single(m => m.Success).Groups[1].Value;
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    /// <summary>The version both packages were packed with: VersionPrefix from Directory.Build.props, an e2e suffix.</summary>
    public string Version { get; }

    /// <summary>A new empty folder for one test, below the isolation files.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)])).FullName;

    public CommandResult Dotnet(string workingDirectory, params string[] arguments) =>
        Helpers.Dotnet.Run(workingDirectory, PackagesFolder, arguments);

    /// <summary>Starts a dotnet command and returns while it runs.</summary>
    public RunningCommand StartDotnet(string workingDirectory, params string[] arguments) =>
        Helpers.Dotnet.Start(workingDirectory, PackagesFolder, arguments);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void WriteIsolationFiles()
    {
        // Only the local feed: a net10.0 consumer needs nothing else, so the tests never reach a remote source.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
    }

    [GeneratedRegex(@"^ModelBuild\.Tool\.([0-9].*)\.nupkg$")]
    private static partial Regex PackageVersion();
}
