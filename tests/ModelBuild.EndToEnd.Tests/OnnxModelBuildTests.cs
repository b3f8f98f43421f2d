using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// `dotnet build`, `publish` and `clean` of console apps that reference the packed ModelBuild package and list
/// models as OnnxModel items. What converted is read from the build log: MSBuild's skip message for the
/// conversion target, and the task's one "ModelBuild: model -> ir" line per converted model.
/// </summary>
public sealed class OnnxModelBuildTests(PackedFeed feed)
{
    private const string Relu = "models/relu.onnx";
    private const string Sigmoid = "models/nested/sigmoid.onnx";
    private const string External = "models/external.onnx";

    [Fact]
    public void The_target_release_property_and_metadata_choose_op_versions_and_a_change_reconverts()
    {
        const string ArgMax = "models/argmax.onnx";
        const string SoftSign = "models/softsign.onnx";
        var app = new ConsumerProject(feed, "target", """<ItemGroup><OnnxModel Include="models/*.onnx" /></ItemGroup>""");
        TestModels.CopyBackendModel("test_argmax_default_axis_example", app.Path(ArgMax));
        TestModels.CopyBackendModel("test_softsign_example", app.Path(SoftSign));
        IrXml Ir(string model) => new(Path.Combine(app.OutDir, Path.ChangeExtension(model, ".xml")));

        // The newest release by default: TopK-11 (stable ties) and SoftSign-9 as they are.
        var newest = app.Build();
        Assert.True(newest.Succeeded, newest.ToString());
        Assert.Equal([ArgMax, SoftSign], newest.ConvertedModels.Order());
        Assert.Equal("opset11", Ir(ArgMax).LayersOfType("TopK").Single().Attribute("version")!.Value);
        Assert.Single(Ir(SoftSign).LayersOfType("SoftSign"));

        // The property: every model reconverts for 2022.1, with nothing newer than opset8.
        app.SetItems("""
            <PropertyGroup><ModelBuildTargetOpenVino>2022.1</ModelBuildTargetOpenVino></PropertyGroup>
            <ItemGroup><OnnxModel Include="models/*.onnx" /></ItemGroup>
            """);
        var property = app.Build();
        Assert.True(property.Succeeded, property.ToString());
        Assert.Equal([ArgMax, SoftSign], property.ConvertedModels.Order());
        Assert.All([ArgMax, SoftSign], model => Assert.All(Ir(model).Layers, layer => Assert.True(
            int.Parse(layer.Attribute("version")!.Value["opset".Length..], System.Globalization.CultureInfo.InvariantCulture) <= 8, $"{model}: {layer}")));
        Assert.Empty(Ir(ArgMax).LayersOfType("TopK"));
        Assert.Empty(Ir(SoftSign).LayersOfType("SoftSign"));

        var unchanged = app.Build();
        Assert.True(unchanged.ConversionSkipped, unchanged.ToString());

        // The metadata wins over the property, for its item only.
        app.SetItems($"""
            <PropertyGroup><ModelBuildTargetOpenVino>2022.1</ModelBuildTargetOpenVino></PropertyGroup>
            <ItemGroup>
              <OnnxModel Include="models/*.onnx" />
              <OnnxModel Update="{SoftSign}" TargetOpenVino="2022.2" />
            </ItemGroup>
            """);
        var metadata = app.Build();
        Assert.True(metadata.Succeeded, metadata.ToString());
        Assert.Equal([SoftSign], metadata.ConvertedModels);
        Assert.Equal("opset9", Ir(SoftSign).LayersOfType("SoftSign").Single().Attribute("version")!.Value);

        app.SetItems($"""<ItemGroup><OnnxModel Include="{SoftSign}" TargetOpenVino="2021.4" /></ItemGroup>""");
        var tooOld = app.Build();
        Assert.False(tooOld.Succeeded, tooOld.ToString());
        Assert.Contains("error MB2007", tooOld.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_convert_exactly_the_changed_models_publish_ships_the_IR_and_clean_removes_it()
    {
        var app = new ConsumerProject(feed, "incremental", """<ItemGroup><OnnxModel Include="models/**/*.onnx" /></ItemGroup>""");
        TestModels.CopyBackendModel("test_relu", app.Path(Relu));
        TestModels.CopyBackendModel("test_sigmoid", app.Path(Sigmoid));
        TestModels.WriteAddRelu(app.Path(External), externalData: true);
        string[] ir = ["models/relu.xml", "models/relu.bin", "models/nested/sigmoid.xml", "models/nested/sigmoid.bin", "models/external.xml", "models/external.bin"];

        // A design-time build (what an IDE runs to load the project) never converts.
        var designTime = app.Build("-p:DesignTimeBuild=true");
        Assert.True(designTime.Succeeded, designTime.ToString());
        Assert.Empty(designTime.ConvertedModels);

        var first = app.Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.Equal([External, Sigmoid, Relu], first.ConvertedModels);
        Assert.All(ir, file => Assert.True(File.Exists(Path.Combine(app.OutDir, file)), $"{file} is missing\n{first}"));
        Assert.Equal("f16", IrXml.Data(new IrXml(Path.Combine(app.OutDir, "models/external.xml")).LayersOfType("Const").Single(), "element_type"));
        var written = ir.ToDictionary(file => file, file => File.GetLastWriteTimeUtc(Path.Combine(app.OutDir, file)));

        var noChange = app.Build();
        Assert.True(noChange.ConversionSkipped, noChange.ToString());
        Assert.Empty(noChange.ConvertedModels);
        Assert.All(ir, file => Assert.Equal(written[file], File.GetLastWriteTimeUtc(Path.Combine(app.OutDir, file))));

        var question = app.Build("--no-restore", "-question");
        Assert.True(question.Succeeded, question.ToString());

        app.Touch(Relu);
        var touched = app.Build();
        Assert.Equal([Relu], touched.ConvertedModels);

        app.SetItems($"""
            <ItemGroup>
              <OnnxModel Include="models/**/*.onnx" />
              <OnnxModel Update="{Sigmoid}" Input="x[?,4,5]" />
            </ItemGroup>
            """);
        var metadata = app.Build();
        Assert.Equal([Sigmoid], metadata.ConvertedModels);
        Assert.Equal("?,4,5", IrXml.Data(new IrXml(Path.Combine(app.OutDir, "models/nested/sigmoid.xml")).Layer("x")!, "shape"));

        File.WriteAllBytes(app.Path(External + ".data"), new byte[12]);
        var externalData = app.Build();
        Assert.Equal([External], externalData.ConvertedModels);

        var publish = app.Run("publish", "-c", "Debug", "-o", app.Path("publish"));
        Assert.True(publish.Succeeded, publish.ToString());
        Assert.True(publish.ConversionSkipped, publish.ToString());
        Assert.All(ir, file => Assert.True(File.Exists(Path.Combine(app.Path("publish"), file)), $"{file} is not published\n{publish}"));

        // An item no longer listed loses its IR at the next build (incremental clean); the others keep theirs.
        app.SetItems($"""<ItemGroup><OnnxModel Include="models/**/*.onnx" Exclude="{Sigmoid}" /></ItemGroup>""");
        var removed = app.Build();
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/nested/sigmoid.xml")), removed.ToString());
        Assert.True(File.Exists(Path.Combine(app.OutDir, "models/relu.xml")), removed.ToString());

        var clean = app.Run("clean");
        Assert.True(clean.Succeeded, clean.ToString());
        Assert.All(ir, file => Assert.False(File.Exists(Path.Combine(app.OutDir, file)), $"{file} survived clean\n{clean}"));
        Assert.Empty(Directory.GetFiles(app.Path("obj/Debug/net10.0/modelbuild")));
    }

    [Fact]
    public void A_malformed_model_fails_the_build_with_MB1002_on_the_model_and_loses_its_previous_IR()
    {
        var app = new ConsumerProject(feed, "malformed", """<ItemGroup><OnnxModel Include="models/*.onnx" /></ItemGroup>""");
        TestModels.CopyBackendModel("test_relu", app.Path("models/good.onnx"));
        TestModels.CopyBackendModel("test_sigmoid", app.Path("models/broken.onnx"));
        Assert.True(app.Build().Succeeded);

        TestModels.WriteMalformed(app.Path("models/broken.onnx"));
        var failed = app.Build();
        Assert.False(failed.Succeeded, failed.ToString());
        Assert.Contains("models/broken.onnx : error MB1002:", failed.Output, StringComparison.Ordinal);
        Assert.Empty(failed.ConvertedModels);
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/broken.xml")), failed.ToString());
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/broken.bin")), failed.ToString());
        Assert.True(File.Exists(Path.Combine(app.OutDir, "models/good.xml")), failed.ToString());

        // Nothing changed, yet the model is tried again: a failing model is never up to date, and only it is tried.
        var again = app.Build();
        Assert.False(again.Succeeded, again.ToString());
        Assert.Contains("models/broken.onnx : error MB1002:", again.Output, StringComparison.Ordinal);
        Assert.True(again.ConversionPartial, again.ToString());
    }

    [Fact]
    public void Metadata_errors_point_at_the_project_file_naming_the_item_and_model_errors_at_the_model()
    {
        var app = new ConsumerProject(feed, "locations", """
            <ItemGroup>
              <OnnxModel Include="models/relu.onnx" Input="x[3,,5" />
              <OnnxModel Include="models/sigmoid.onnx" CompressToFp16="maybe" />
              <OnnxModel Include="models/broken.onnx" />
            </ItemGroup>
            """);
        TestModels.CopyBackendModel("test_relu", app.Path("models/relu.onnx"));
        TestModels.CopyBackendModel("test_sigmoid", app.Path("models/sigmoid.onnx"));
        TestModels.WriteMalformed(app.Path("models/broken.onnx"));

        var build = app.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains($"{app.ProjectFile} : error MB2003: OnnxModel 'models/relu.onnx': Invalid input specification \"x[3,,5\"", build.Output, StringComparison.Ordinal);
        Assert.Contains($"{app.ProjectFile} : error MB5002: OnnxModel 'models/sigmoid.onnx': CompressToFp16 is 'maybe'; it must be true or false.", build.Output, StringComparison.Ordinal);
        Assert.Contains("models/broken.onnx : error MB1002:", build.Output, StringComparison.Ordinal);
        Assert.Empty(build.ConvertedModels);
    }

    [Fact]
    public void Converter_warnings_are_MSBuild_warnings_with_their_code_at_the_item_and_WarningsAsErrors_fails_the_model()
    {
        var app = new ConsumerProject(feed, "warnings", """
            <ItemGroup>
              <OnnxModel Include="models/frozen.onnx" Input="unused->[0 0 0]" Outputs="sum" CompressToFp16="false" />
            </ItemGroup>
            """);
        TestModels.WriteAddRelu(app.Path("models/frozen.onnx"), unusedInput: "unused");

        var warned = app.Build();
        Assert.True(warned.Succeeded, warned.ToString());
        Assert.Contains($"{app.ProjectFile} : warning MB9001: OnnxModel 'models/frozen.onnx':", warned.Output, StringComparison.Ordinal);
        var frozen = new IrXml(Path.Combine(app.OutDir, "models/frozen.xml"));
        Assert.Empty(frozen.LayersOfType("ReLU"));
        Assert.Equal("f32", IrXml.Data(frozen.Layer("w")!, "element_type"));

        var promoted = app.Build("--no-incremental", "-p:WarningsAsErrors=MB9001");
        Assert.False(promoted.Succeeded, promoted.ToString());
        Assert.Contains($"{app.ProjectFile} : error MB9001: OnnxModel 'models/frozen.onnx':", promoted.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/frozen.xml")), promoted.ToString());
    }

    [Fact]
    public void The_LeNet_sample_builds_with_its_IR_beside_the_app()
    {
        // The sample as checked in, under the isolation files: its nuget.config is left out so the test feed is used.
        var root = feed.NewFolder("samples");
        var sample = Path.Combine(root, "LeNetApp");
        Directory.CreateDirectory(sample);
        Directory.CreateDirectory(Path.Combine(root, "models"));
        foreach (var file in new[] { "LeNetApp.csproj", "Program.cs" })
        {
            File.Copy(Path.Combine(feed.RepositoryRoot, "samples/LeNetApp", file), Path.Combine(sample, file));
        }

        File.Copy(Path.Combine(feed.RepositoryRoot, "samples/models/lenet5.onnx"), Path.Combine(root, "models/lenet5.onnx"));

        var build = new BuildResult(feed.Dotnet(sample, "build", "-nodeReuse:false", "--disable-build-servers", "-tl:off", "-v:n"));
        Assert.True(build.Succeeded, build.ToString());
        Assert.True(File.Exists(Path.Combine(sample, "bin/Debug/net10.0/models/lenet5.xml")), build.ToString());

        var run = feed.Dotnet(sample, "bin/Debug/net10.0/LeNetApp.dll");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("lenet5.xml", run.Output, StringComparison.Ordinal);
    }
}
