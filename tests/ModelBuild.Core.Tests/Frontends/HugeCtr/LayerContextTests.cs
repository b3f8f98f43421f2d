using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>What a layer reads must have been produced by an earlier layer.</summary>
public sealed class LayerContextTests : HugeCtrWorkspace
{
    [Fact]
    public void A_layer_reading_a_tensor_nothing_produces_is_MB4001()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers => layers[8]!["bottom"] = "fc9");

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Equal("layer 8 (ReLU 'relu1'): reads 'fc9', which no earlier layer produces.", error.Message);
    }
}
