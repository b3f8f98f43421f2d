using System.Text.RegularExpressions;

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>What one `dotnet build` of a consumer did, read from its normal-verbosity console log.</summary>
public sealed partial record BuildResult(CommandResult Command)
{
    public bool Succeeded => Command.ExitCode == 0;

    public string Output => Command.Output;

    /// <summary>MSBuild's own verdict that every model's IR is up to date: the task did not even load.</summary>
    public bool ConversionSkipped =>
        Output.Contains("Skipping target \"_ModelBuildCoreConvert\" because all output files are up-to-date with respect to the input files.", StringComparison.Ordinal);

    /// <summary>MSBuild's verdict that some models' IR is out of date and only those convert.</summary>
    public bool ConversionPartial =>
        Output.Contains("Building target \"_ModelBuildCoreConvert\" partially", StringComparison.Ordinal);

    /// <summary>The models the task converted, as the project lists them (one "ModelBuild: model -> ir" line each).</summary>
    public IReadOnlyList<string> ConvertedModels =>
        [.. ConvertedLine().Matches(Output).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    public override string ToString() => Command.ToString();

    [GeneratedRegex(@"ModelBuild: (\S+) -> ")]
    private static partial Regex ConvertedLine();
}

/// <summary>
/// A project in its own folder: by default a console app that references the packed ModelBuild package from the test
/// feed; a library, or a project without the package (an app that references such a library), on request.
/// </summary>
public sealed class ConsumerProject
{
    private readonly PackedFeed _feed;
    private readonly string _outputType;
    private readonly bool _referencesModelBuild;

    public ConsumerProject(PackedFeed feed, string name, string items, string projectName = "consumer", string outputType = "Exe", bool referencesModelBuild = true)
    {
        _feed = feed;
        _outputType = outputType;
        _referencesModelBuild = referencesModelBuild;
        Folder = feed.NewFolder(name);
        ProjectFile = Path($"{projectName}.csproj");
        File.WriteAllText(Path("Program.cs"), outputType == "Exe" ? "System.Console.WriteLine(\"consumer\");\n" : "public static class Library { }\n");
        SetItems(items);
    }

    public string Folder { get; }

    /// <summary>The project file's full path: where errors about its items' metadata point.</summary>
    public string ProjectFile { get; }

    /// <summary>The Debug build's output folder, where the IR goes by default.</summary>
    public string OutDir => Path("bin/Debug/net10.0");

    public string Path(string relative) => System.IO.Path.Combine(Folder, relative);

    /// <summary>Rewrites the project with these OnnxModel items (and any other project body).</summary>
    public void SetItems(string items) => File.WriteAllText(ProjectFile, $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>{_outputType}</OutputType>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
          {(_referencesModelBuild ? $"""<ItemGroup><PackageReference Include="ModelBuild" Version="{_feed.Version}" PrivateAssets="all" /></ItemGroup>""" : "")}
          {items}
        </Project>
        """);

    public BuildResult Build(params string[] arguments) => Run("build", arguments);

    public BuildResult Run(string command, params string[] arguments) =>
        new(_feed.Dotnet(Folder, [command, .. BuildOptions, .. arguments]));

    /// <summary>Starts a build and returns while it runs (to kill it).</summary>
    public RunningCommand StartBuild(params string[] arguments) => _feed.StartDotnet(Folder, ["build", .. BuildOptions, .. arguments]);

    // Nothing lingers after a command (no node reuse, no build servers); the normal-verbosity log says what converted.
    private static readonly string[] BuildOptions = ["-nodeReuse:false", "--disable-build-servers", "-tl:off", "-v:n"];

    /// <summary>Makes a file newer than everything built so far, as an edit would.</summary>
    public void Touch(string relative) => File.SetLastWriteTimeUtc(Path(relative), DateTime.UtcNow);
}
