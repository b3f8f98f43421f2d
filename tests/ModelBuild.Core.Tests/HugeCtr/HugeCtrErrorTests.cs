using System.Text.Json.Nodes;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.HugeCtr;
using Xunit;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>
/// Wrong input is an MBnnnn error naming the layer and the file, and nothing is written: malformed
/// configs, unsupported layers, model files of the wrong size, missing files, keys that do not fit.
/// </summary>
public sealed class HugeCtrErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Malformed_json_is_MB4001()
    {
        var fixture = Copy("wdl");
        File.WriteAllText(fixture.GraphConfig, File.ReadAllText(fixture.GraphConfig)[..500]);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Equal(fixture.GraphConfig, error.File);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_without_a_Data_layer_is_MB4001()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers => layers.RemoveAt(0));

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Contains("Data layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_names_the_layer_and_the_field()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers => layers[7]!["fc_param"]!.AsObject().Remove("num_output"));

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Equal("layer 7 (InnerProduct 'fc1'): field 'fc_param.num_output' is missing.", error.Message);
    }

    [Fact]
    public void A_layer_reading_a_tensor_nothing_produces_is_MB4001()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers => layers[8]!["bottom"] = "fc9");

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Equal("layer 8 (ReLU 'relu1'): reads 'fc9', which no earlier layer produces.", error.Message);
    }

    [Fact]
    public void Unsupported_layer_types_are_MB4002_naming_every_one()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers =>
        {
            layers[8]!["type"] = "GRU";
            layers[11]!["type"] = "Gather";
        });

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrUnsupportedLayer, error.Code);
        Assert.StartsWith("The graph config uses layer types the converter does not support: layer 8 (GRU 'relu1'), layer 11 (Gather 'relu2').", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_dense_file_is_MB4003_naming_the_first_layer_that_runs_past_the_end()
    {
        var fixture = Copy("wdl");
        Truncate(fixture.DenseModel, 14000);

        var error = Convert(fixture, convertEmbedding: true);

        // fc1 takes bytes [0, 9984); fc2's weight [32, 32] takes [9984, 14080), past 14000.
        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Equal(fixture.DenseModel, error.File);
        Assert.Equal("The dense model has 14000 bytes, the graph config needs 14340: layer 10 (InnerProduct 'fc2') needs bytes [9984, 14080) for its weight [32, 32], past the end of the file.", error.Message);
    }

    [Fact]
    public void A_long_dense_file_is_MB4003()
    {
        var fixture = Copy("wdl");
        File.AppendAllText(fixture.DenseModel, "1234");

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Contains("4 bytes are left over", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_sparse_folder_is_MB4004()
    {
        var fixture = Copy("wdl");
        Directory.Delete(fixture.SparseModels[1], recursive: true);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrMissingFile, error.Code);
        Assert.Equal(fixture.SparseModels[1], error.File);
        Assert.Equal("The sparse model folder of layer 2 (DistributedSlotSparseEmbeddingHash 'sparse_embedding1') does not exist.", error.Message);
    }

    [Fact]
    public void Fewer_sparse_folders_than_embedding_layers_is_MB4004()
    {
        var fixture = Copy("wdl");

        var error = Convert(fixture, fixture.Options(true) with { SparseModelPaths = fixture.SparseModels.Take(1).ToList() });

        Assert.Equal(DiagnosticCode.HugeCtrMissingFile, error.Code);
        Assert.Contains("layer 2 (DistributedSlotSparseEmbeddingHash 'sparse_embedding1') is embedding layer 2, but only 1 sparse model folders were given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sparse_folders_are_not_read_without_converted_embeddings()
    {
        var fixture = Copy("wdl");
        Directory.Delete(fixture.SparseModels[0], recursive: true);

        HugeCtrFrontend.WriteOnnx(fixture.GraphConfig, fixture.Options(false), Output);

        Assert.True(File.Exists(Output));
    }

    [Fact]
    public void A_key_outside_the_table_is_MB4005_not_a_silently_shorter_table()
    {
        // Table 0 (wide_data, vocabulary 110) owns keys [0, 110); key 130 fits no row of it.
        var fixture = Copy("wdl");
        var keys = Path.Combine(fixture.SparseModels[0], "key");
        var bytes = File.ReadAllBytes(keys);
        BitConverter.GetBytes(130L).CopyTo(bytes, 3 * sizeof(long));
        File.WriteAllBytes(keys, bytes);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrKeyOutOfRange, error.Code);
        Assert.Equal(keys, error.File);
        Assert.Equal("The sparse model's key 130 (record 4) lies outside the key range [0, 110) of layer 1 (DistributedSlotSparseEmbeddingHash 'sparse_embedding2').", error.Message);
    }

    [Fact]
    public void A_negative_or_repeated_key_is_MB4005()
    {
        var fixture = Copy("wdl");
        var keys = Path.Combine(fixture.SparseModels[1], "key");
        var original = File.ReadAllBytes(keys);
        var bytes = (byte[])original.Clone();
        BitConverter.GetBytes(-1L).CopyTo(bytes, 0);
        File.WriteAllBytes(keys, bytes);
        Assert.Contains("key -1 (record 1) lies outside", Convert(fixture, convertEmbedding: true).Message, StringComparison.Ordinal);

        bytes = (byte[])original.Clone();
        original.AsSpan(0, sizeof(long)).CopyTo(bytes.AsSpan(5 * sizeof(long)));
        File.WriteAllBytes(keys, bytes);
        var error = Convert(fixture, convertEmbedding: true);
        Assert.Equal(DiagnosticCode.HugeCtrKeyOutOfRange, error.Code);
        Assert.Contains($"key {BitConverter.ToInt64(original)} is stored twice (records 1 and 6)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_keys_than_the_vocabulary_is_MB4003()
    {
        // hugectr2onnx drops this whole table silently (its first key is already out of range).
        var fixture = new HugeCtrFixture("edge_vocab_overflow");

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Equal(Path.Combine(fixture.SparseModels[0], "key"), error.File);
        Assert.Equal("The file holds 29 keys, more than the 12 rows of layer 1 (DistributedSlotSparseEmbeddingHash 'emb') (max_vocabulary_size_global).", error.Message);
    }

    [Fact]
    public void Vectors_that_do_not_match_the_keys_are_MB4003()
    {
        var fixture = Copy("wdl");
        var vectors = Path.Combine(fixture.SparseModels[1], "emb_vector");
        Truncate(vectors, new FileInfo(vectors).Length - 4);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Equal(vectors, error.File);
        Assert.Equal("The file holds 2364 bytes; 74 keys of layer 2 (DistributedSlotSparseEmbeddingHash 'sparse_embedding1'), whose embedding_vec_size is 8, need 2368.", error.Message);
    }

    [Fact]
    public void BatchNorm_without_its_statistics_is_MB4004_and_statistics_of_another_length_MB4003()
    {
        var fixture = Copy("dlrm");
        var missing = Convert(fixture, fixture.Options(false) with { NonTrainableParametersPath = null });
        Assert.Equal(DiagnosticCode.HugeCtrMissingFile, missing.Code);
        Assert.StartsWith("layer 12 (BatchNorm 'bn5') needs its running mean and variance", missing.Message, StringComparison.Ordinal);

        var statistics = JsonNode.Parse(File.ReadAllText(fixture.NonTrainableParameters!))!;
        statistics["layers"]![1]!["var"]!.AsArray().RemoveAt(0);
        File.WriteAllText(fixture.NonTrainableParameters!, statistics.ToJsonString());
        var shorter = Convert(fixture, convertEmbedding: false);
        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, shorter.Code);
        Assert.Equal(fixture.NonTrainableParameters, shorter.File);
        Assert.Equal("The entry for layer 15 (BatchNorm 'bn6') has 15 'var' values, the layer has 16 channels.", shorter.Message);
    }

    [Fact]
    public void A_MultiHeadAttention_with_keys_of_another_shape_is_MB4006()
    {
        var fixture = Copy("bst");
        EditConfig(fixture, layers =>
        {
            var attention = layers.First(l => l!["type"]!.GetValue<string>() == "MultiHeadAttention")!;
            attention["bottom"]![1] = "sparse_embedding_user";
        });

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrUnsupportedConfiguration, error.Code);
        Assert.Contains("MultiHeadAttention 'attention_out'", error.Message, StringComparison.Ordinal);
    }

    private string Output => _folder.File("out.onnx");

    private HugeCtrFixture Copy(string name) => new HugeCtrFixture(name).CopyTo(_folder.File(name));

    private ModelBuildException Convert(HugeCtrFixture fixture, bool convertEmbedding) => Convert(fixture, fixture.Options(convertEmbedding));

    // Every failure leaves no output behind.
    private ModelBuildException Convert(HugeCtrFixture fixture, HugeCtrOptions options)
    {
        var error = Assert.Throws<ModelBuildException>(() => HugeCtrFrontend.WriteOnnx(fixture.GraphConfig, options, Output));
        Assert.Empty(Directory.GetFiles(_folder.Path));
        return error;
    }

    private static void EditConfig(HugeCtrFixture fixture, Action<JsonArray> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(fixture.GraphConfig))!;
        edit(config["layers"]!.AsArray());
        File.WriteAllText(fixture.GraphConfig, config.ToJsonString());
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }
}
