using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// HugeCTR models through the packed packages: `modelconvert hugectr` (.onnx and IR) and &lt;HugeCtrModel&gt; items,
/// which convert incrementally on the OnnxModel machinery, with every file the conversion read as an input.
/// </summary>
public sealed class HugeCtrModelTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    private const string GraphConfig = "models/wdl.json";
    private const string DenseModel = "models/wdl_dense_1000.model";
    private const string DeepSparseKeys = "models/wdl1_sparse_1000.model/key";

    [Fact]
    public void Items_convert_when_any_file_they_read_changes_and_give_the_tools_IR()
    {
        var app = new ConsumerProject(tool.Feed, "hugectr", Items(convertEmbedding: true));
        TestModels.CopyHugeCtrModel(tool.Feed.RepositoryRoot, "wdl", app.Path("models"));
        var xml = Path.Combine(app.OutDir, "models/wdl.xml");

        var first = app.Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.Equal([GraphConfig], first.ConvertedModels);
        Assert.Equal("i64", IrXml.Data(new IrXml(xml).Layer("deep_data")!, "element_type"));

        var noChange = app.Build();
        Assert.True(noChange.ConversionSkipped, noChange.ToString());

        app.Touch(DenseModel);
        Assert.Equal([GraphConfig], app.Build().ConvertedModels);
        app.Touch(DeepSparseKeys);
        Assert.Equal([GraphConfig], app.Build().ConvertedModels);

        // Without converted embeddings the sparse folders are not read, so they stop being inputs.
        app.SetItems(Items(convertEmbedding: false));
        var denseOnly = app.Build();
        Assert.Equal([GraphConfig], denseOnly.ConvertedModels);
        Assert.Equal("f32", IrXml.Data(new IrXml(xml).Layer("sparse_embedding1")!, "element_type"));
        app.Touch(DeepSparseKeys);
        var sparseTouched = app.Build();
        Assert.True(sparseTouched.ConversionSkipped, sparseTouched.ToString());

        // The task and the tool build the same request: the same IR, byte for byte.
        var toolXml = tool.Path("wdl-dense-only.xml");
        var converted = tool.Run("hugectr", "--graph-config", app.Path(GraphConfig), "--dense-model", app.Path(DenseModel), "--output_model", toolXml);
        Assert.True(converted.ExitCode == 0, converted.ToString());
        Assert.Equal(File.ReadAllBytes(toolXml), File.ReadAllBytes(xml));
        Assert.Equal(File.ReadAllBytes(Path.ChangeExtension(toolXml, ".bin")), File.ReadAllBytes(Path.ChangeExtension(xml, ".bin")));
    }

    [Fact]
    public void A_model_whose_files_disagree_fails_the_build_on_its_graph_config_and_loses_its_IR()
    {
        var app = new ConsumerProject(tool.Feed, "hugectr-errors", Items(convertEmbedding: true));
        TestModels.CopyHugeCtrModel(tool.Feed.RepositoryRoot, "wdl", app.Path("models"));
        Assert.True(app.Build().Succeeded);

        using (var dense = new FileStream(app.Path(DenseModel), FileMode.Open))
        {
            dense.SetLength(14000);
        }

        var failed = app.Build();
        Assert.False(failed.Succeeded, failed.ToString());
        Assert.Contains($"{GraphConfig} : error MB4003: The dense model has 14000 bytes, the graph config needs 14340: layer 10 (InnerProduct 'fc2')", failed.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.OutDir, "models/wdl.xml")), failed.ToString());

        app.SetItems($"""<ItemGroup><HugeCtrModel Include="{GraphConfig}" /></ItemGroup>""");
        var noDense = app.Build();
        Assert.False(noDense.Succeeded, noDense.ToString());
        Assert.Contains($"{app.ProjectFile} : error MB5002: HugeCtrModel '{GraphConfig}': A HugeCtrModel item needs DenseModel metadata", noDense.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tool_writes_onnx_or_IR_and_reports_errors_with_their_codes()
    {
        var folder = tool.Path("wdl-model");
        TestModels.CopyHugeCtrModel(tool.Feed.RepositoryRoot, "wdl", folder);
        string[] model =
        [
            "hugectr", "--graph-config", Path.Combine(folder, "wdl.json"), "--dense-model", Path.Combine(folder, "wdl_dense_1000.model"),
            "--sparse-models", Path.Combine(folder, "wdl0_sparse_1000.model"), Path.Combine(folder, "wdl1_sparse_1000.model"), "--convert-embedding",
        ];

        var onnx = tool.Run([.. model, "--output_model", tool.Path("wdl.onnx")]);
        Assert.True(onnx.ExitCode == 0, onnx.ToString());
        var inspected = tool.Run("inspect", tool.Path("wdl.onnx"));
        Assert.Contains("deep_data: i64[?,8,1]", inspected.Output, StringComparison.Ordinal);
        Assert.Contains("Opsets: ai.onnx 10", inspected.Output, StringComparison.Ordinal);

        var ir = tool.Run([.. model, "--output_model", tool.Path("wdl-keys.xml"), "--compress_to_fp16=false"]);
        Assert.True(ir.ExitCode == 0, ir.ToString());
        Assert.Equal("f32", IrXml.Data(new IrXml(tool.Path("wdl-keys.xml")).LayersOfType("Const").First(c => IrXml.Data(c, "shape") == "77, 32")!, "element_type"));

        Directory.Delete(Path.Combine(folder, "wdl1_sparse_1000.model"), recursive: true);
        var missing = tool.Run([.. model, "--output_model", tool.Path("missing.onnx")]);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("MB4004", missing.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(tool.Path("missing.onnx")));

        var usage = tool.Run("hugectr", "--graph-config", Path.Combine(folder, "wdl.json"), "--output_model", tool.Path("usage.onnx"));
        Assert.True(usage.ExitCode == 2, usage.ToString());
    }

    private static string Items(bool convertEmbedding) => $"""
        <ItemGroup>
          <HugeCtrModel Include="{GraphConfig}" DenseModel="{DenseModel}"
                        SparseModels="models/wdl0_sparse_1000.model;models/wdl1_sparse_1000.model" ConvertEmbedding="{(convertEmbedding ? "true" : "false")}" />
        </ItemGroup>
        """;
}
