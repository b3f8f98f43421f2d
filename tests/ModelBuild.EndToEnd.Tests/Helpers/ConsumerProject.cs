using System.Text.RegularExpressions;

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>What one `dotnet build` of a consumer did, read from its normal-verbosity console log.</summary>
public sealed partial record BuildResult(CommandResult Command)
{
    public bool Succeeded => Command.ExitCode == 0;

    public string Output => Command.Output;

    /// <summary>MSBuild's own verdict that every model's IR is up to date: the task did not even load.</summary>
    public bool ConversionSkipped =>
        Output.Contains("Skipping target \"ModelBuildConvert\" because all output files are up-to-date with respect to the input files.", StringComparison.Ordinal);

    /// <summary>The models the task converted, as the project lists them (one "ModelBuild: model -> ir" line each).</summary>
    public IReadOnlyList<string> ConvertedModels =>
        [.. ConvertedLine().Matches(Output).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    public override string ToString() => Command.ToString();

    [GeneratedRegex(@"ModelBuild: (\S+) -> ")]
    private static partial Regex ConvertedLine();
}

/// <summary>A console app in its own folder that references the packed ModelBuild package from the test feed.</summary>
public sealed class ConsumerProject
{
    private readonly PackedFeed _feed;

    public ConsumerProject(PackedFeed feed, string name, string items)
    {
        _feed = feed;
        Folder = feed.NewFolder(name);
        File.WriteAllText(Path("Program.cs"), "System.Console.WriteLine(\"consumer\");\n");
        SetItems(items);
    }

    public string Folder { get; }

    /// <summary>The Debug build's output folder, where the IR goes by default.</summary>
    public string OutDir => Path("bin/Debug/net10.0");

    public string Path(string relative) => System.IO.Path.Combine(Folder, relative);

    /// <summary>Rewrites the project with these OnnxModel items (and any other project body).</summary>
    public void SetItems(string items) => File.WriteAllText(Path("consumer.csproj"), $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="ModelBuild" Version="{_feed.Version}" PrivateAssets="all" />
          </ItemGroup>
          {items}
        </Project>
        """);

    public BuildResult Build(params string[] arguments) => Run("build", arguments);

    public BuildResult Run(string command, params string[] arguments) =>
        new(_feed.Dotnet(Folder, [command, "-nodeReuse:false", "--disable-build-servers", "-tl:off", "-v:n", .. arguments]));

    /// <summary>Makes a file newer than everything built so far, as an edit would.</summary>
    public void Touch(string relative) => File.SetLastWriteTimeUtc(Path(relative), DateTime.UtcNow);
}
