using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// A class library converts its models; an app that references it (and not the package) gets the IR in its output folder
/// on build, so `dotnet run` finds it, and in its publish folder, the way content files flow, and copies it only when
/// it changed.
/// </summary>
public sealed class ReferencedProjectTests(PackedFeed feed)
{
    private const string Relu = "models/relu.onnx";

    [Fact]
    public void A_librarys_IR_reaches_the_apps_output_and_publish_folders_and_is_copied_only_when_it_changes()
    {
        var library = new ConsumerProject(feed, "library", $"""<ItemGroup><OnnxModel Include="{Relu}" /></ItemGroup>""", projectName: "library", outputType: "Library");
        TestModels.CopyBackendModel("test_relu", library.Path(Relu));
        var app = new ConsumerProject(feed, "app", $"""<ItemGroup><ProjectReference Include="{library.ProjectFile}" /></ItemGroup>""", projectName: "app", referencesModelBuild: false);
        File.WriteAllText(app.Path("Program.cs"), """
            var ir = System.IO.Path.Combine(System.AppContext.BaseDirectory, "models", "relu.xml");
            System.Console.WriteLine(System.IO.File.Exists(ir) ? $"IR beside the app: {new System.IO.FileInfo(ir).Length} bytes" : "no IR beside the app");
            """);
        var libraryXml = Path.Combine(library.OutDir, "models/relu.xml");
        var copyOfXml = $"Copying file from \"{libraryXml}\" to \"{Path.Combine(app.OutDir, "models/relu.xml")}\"";

        var build = app.Build();
        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal([Relu], build.ConvertedModels);
        Assert.Contains(copyOfXml, build.Output, StringComparison.Ordinal);
        foreach (var file in new[] { "models/relu.xml", "models/relu.bin" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(library.OutDir, file)), File.ReadAllBytes(Path.Combine(app.OutDir, file)));
        }

        var run = feed.Dotnet(app.Folder, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"IR beside the app: {new FileInfo(libraryXml).Length} bytes", run.Output, StringComparison.Ordinal);

        var unchanged = app.Build();
        Assert.True(unchanged.ConversionSkipped, unchanged.ToString());
        Assert.DoesNotContain(copyOfXml, unchanged.Output, StringComparison.Ordinal);

        library.Touch(Relu);
        var changed = app.Build();
        Assert.Equal([Relu], changed.ConvertedModels);
        Assert.Contains(copyOfXml, changed.Output, StringComparison.Ordinal);

        var publish = app.Run("publish", "-c", "Debug", "-o", app.Path("publish"));
        Assert.True(publish.Succeeded, publish.ToString());
        Assert.True(publish.ConversionSkipped, publish.ToString());
        Assert.Equal(File.ReadAllBytes(libraryXml), File.ReadAllBytes(app.Path("publish/models/relu.xml")));
        Assert.True(File.Exists(app.Path("publish/models/relu.bin")), publish.ToString());

        // CopyToOutputDirectory="Never" keeps the IR to the library, as it keeps any None item.
        library.SetItems($"""<ItemGroup><OnnxModel Include="{Relu}" CopyToOutputDirectory="Never" /></ItemGroup>""");
        var kept = app.Build();
        Assert.True(kept.Succeeded, kept.ToString());
        Assert.True(File.Exists(libraryXml), kept.ToString());
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/relu.xml")), kept.ToString());
    }
}
