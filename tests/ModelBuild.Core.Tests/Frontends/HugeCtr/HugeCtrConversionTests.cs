using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>The conversion of a whole config: unsupported layer types and sparse model folders that do not match the embedding layers.</summary>
public sealed class HugeCtrConversionTests : HugeCtrWorkspace
{
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
}
