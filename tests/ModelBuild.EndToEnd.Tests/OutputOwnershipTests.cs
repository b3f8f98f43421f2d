using System.Globalization;
using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The build writes and deletes only what it owns: IR outside the project, output and intermediate folders is an error
/// before anything is written (MB5003); a file at the IR's place that ModelBuild did not write is never replaced nor
/// cleaned (MB5004); two items with one IR are an error naming both (MB5005); OutputPath reads as modelconvert's
/// --output_model; and an item removed takes its IR with it wherever OutputPath put it.
/// </summary>
public sealed class OutputOwnershipTests(PackedFeed feed)
{
    private const string Relu = "models/relu.onnx";

    [Fact]
    public void A_file_ModelBuild_did_not_write_is_never_replaced_or_deleted_and_IR_outside_the_output_folder_goes_with_its_item()
    {
        var elsewhere = feed.NewFolder("elsewhere");
        var xml = Path.Combine(elsewhere, "settings.xml");
        var bin = Path.Combine(elsewhere, "settings.bin");
        byte[] xmlBytes = [.. "<settings><retries>3</retries></settings>\n"u8];
        byte[] binBytes = [0x00, 0x01, 0xFE, 0xFF];
        File.WriteAllBytes(xml, xmlBytes);
        File.WriteAllBytes(bin, binBytes);

        // No .xml in OutputPath: it is added, as modelconvert --output_model does.
        var app = new ConsumerProject(feed, "foreign", $"""<ItemGroup><OnnxModel Include="{Relu}" OutputPath="{Path.Combine(elsewhere, "settings")}" /></ItemGroup>""");
        TestModels.CopyBackendModel("test_relu", app.Path(Relu));
        var allowed = $"-p:ModelBuildAllowedOutputFolders={elsewhere}";

        var outside = app.Build();
        Assert.False(outside.Succeeded, outside.ToString());
        Assert.Contains($"{app.ProjectFile} : error MB5003: OnnxModel '{Relu}': its IR would be written to {xml}, outside the project, output and intermediate folders.", outside.Output, StringComparison.Ordinal);
        Assert.Empty(outside.ConvertedModels);
        AssertUntouched();

        // Allowed to write there, the build still refuses to replace a file that is not ModelBuild's IR, build after build.
        foreach (var attempt in new[] { app.Build(allowed), app.Build(allowed) })
        {
            Assert.False(attempt.Succeeded, attempt.ToString());
            Assert.Contains($"{app.ProjectFile} : error MB5004: OnnxModel '{Relu}': {xml} is not IR that ModelBuild wrote, so the build does not replace it.", attempt.Output, StringComparison.Ordinal);
            AssertUntouched();
        }

        var clean = app.Run("clean", allowed);
        Assert.True(clean.Succeeded, clean.ToString());
        AssertUntouched();

        // A .bin alone is no more ModelBuild's than the .xml was.
        File.Delete(xml);
        var loneBin = app.Build(allowed);
        Assert.Contains($"{app.ProjectFile} : error MB5004: OnnxModel '{Relu}': {bin} is not IR that ModelBuild wrote", loneBin.Output, StringComparison.Ordinal);
        Assert.Equal(binBytes, File.ReadAllBytes(bin));

        // With the place free, the IR goes there and, as a content file, into the output folder.
        File.Delete(bin);
        var written = app.Build(allowed);
        Assert.True(written.Succeeded, written.ToString());
        Assert.Equal([Relu], written.ConvertedModels);
        Assert.NotNull(new IrXml(xml).Layer("x"));
        Assert.Equal(File.ReadAllBytes(bin), File.ReadAllBytes(Path.Combine(app.OutDir, "models/relu.bin")));
        Assert.True(app.Build(allowed).ConversionSkipped);

        // Its item removed (the project has no model left), the next build deletes the IR it wrote there, and its copy.
        app.SetItems("");
        var removed = app.Build(allowed);
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.False(File.Exists(xml), removed.ToString());
        Assert.False(File.Exists(bin), removed.ToString());
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/relu.xml")), removed.ToString());
        Assert.Empty(Directory.GetFiles(app.Path("obj/Debug/net10.0/modelbuild")));

        void AssertUntouched()
        {
            Assert.Equal(xmlBytes, File.ReadAllBytes(xml));
            Assert.Equal(binBytes, File.ReadAllBytes(bin));
        }
    }

    [Fact]
    public void OutputPath_names_a_folder_or_a_file_as_modelconvert_output_model_does_and_its_IR_goes_when_it_changes_or_at_clean()
    {
        var items = """
            <ItemGroup>
              <OnnxModel Include="models/relu.onnx" OutputPath="{0}" />
              <OnnxModel Include="models/sigmoid.onnx" OutputPath="ir/renamed" />
              <OnnxModel Include="models/add.onnx" OutputPath="existing" />
            </ItemGroup>
            <Target Name="AfterConversion" AfterTargets="ModelBuildAfterConvert">
              <Message Importance="high" Text="after the conversion: @(_ModelBuildModel->Count()) models" />
            </Target>
            """;
        var app = new ConsumerProject(feed, "output-path", string.Format(CultureInfo.InvariantCulture, items, "ir/"));
        TestModels.CopyBackendModel("test_relu", app.Path("models/relu.onnx"));
        TestModels.CopyBackendModel("test_sigmoid", app.Path("models/sigmoid.onnx"));
        TestModels.CopyBackendModel("test_add", app.Path("models/add.onnx"));
        Directory.CreateDirectory(app.Path("existing"));
        string[] written = ["ir/relu.xml", "ir/relu.bin", "ir/renamed.xml", "ir/renamed.bin", "existing/add.xml", "existing/add.bin"];

        var build = app.Build();
        Assert.True(build.Succeeded, build.ToString());
        Assert.All(written, file => Assert.True(File.Exists(app.Path(file)), $"{file} is missing\n{build}"));
        Assert.Equal(File.ReadAllBytes(app.Path("ir/renamed.xml")), File.ReadAllBytes(Path.Combine(app.OutDir, "models/sigmoid.xml")));
        var extensionPoint = build.Output.IndexOf("after the conversion: 3 models", StringComparison.Ordinal);
        Assert.True(extensionPoint > build.Output.LastIndexOf("ModelBuild: models/", StringComparison.Ordinal), build.ToString());

        // Another OutputPath: the IR moves, and the build removes what it wrote at the old place.
        app.SetItems(string.Format(CultureInfo.InvariantCulture, items, "moved/"));
        var moved = app.Build();
        Assert.Equal(["models/relu.onnx"], moved.ConvertedModels);
        Assert.True(File.Exists(app.Path("moved/relu.xml")), moved.ToString());
        Assert.False(File.Exists(app.Path("ir/relu.xml")), moved.ToString());
        Assert.False(File.Exists(app.Path("ir/relu.bin")), moved.ToString());

        var clean = app.Run("clean");
        Assert.True(clean.Succeeded, clean.ToString());
        Assert.All(written.Append("moved/relu.xml").Append("moved/relu.bin"), file => Assert.False(File.Exists(app.Path(file)), $"{file} survived clean\n{clean}"));
        Assert.DoesNotContain(Directory.GetFiles(app.OutDir, "*", SearchOption.AllDirectories), file => file.EndsWith(".xml", StringComparison.Ordinal) || file.EndsWith(".bin", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_items_with_one_IR_fail_the_build_naming_both_and_neither_converts()
    {
        // Models outside the project are placed at their file name: both would become bin/.../model.xml.
        var shared = feed.NewFolder("shared-models");
        var first = TestModels.CopyBackendModel("test_relu", Path.Combine(shared, "relu", "model.onnx"));
        var second = TestModels.CopyBackendModel("test_sigmoid", Path.Combine(shared, "sigmoid", "model.onnx"));
        var app = new ConsumerProject(feed, "colliding", $"""<ItemGroup><OnnxModel Include="{first};{second}" /></ItemGroup>""");

        var build = app.Build("-p:ModelBuildMaxParallelism=1");

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains($"{app.ProjectFile} : error MB5005: OnnxModel '{first}' and OnnxModel '{second}' would write their IR to the same file, {Path.Combine(app.OutDir, "model.xml")}.",
            build.Output, StringComparison.Ordinal);
        Assert.Empty(build.ConvertedModels);
        Assert.False(File.Exists(Path.Combine(app.OutDir, "model.xml")), build.ToString());
    }
}
