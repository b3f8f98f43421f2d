using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr.Layers;

/// <summary>Interaction layer configurations the converter refuses with MB4006, naming the layer.</summary>
public sealed class InteractionLayersTests : HugeCtrWorkspace
{
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
}
