using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>Layer fields read from the graph config: a missing one is MB4001 naming the layer and the field.</summary>
public sealed class GraphConfigTests : HugeCtrWorkspace
{
    [Fact]
    public void A_missing_field_names_the_layer_and_the_field()
    {
        var fixture = Copy("wdl");
        EditConfig(fixture, layers => layers[7]!["fc_param"]!.AsObject().Remove("num_output"));

        var error = Convert(fixture, convertEmbedding: false);

        Assert.Equal(DiagnosticCode.HugeCtrMalformedConfig, error.Code);
        Assert.Equal("layer 7 (InnerProduct 'fc1'): field 'fc_param.num_output' is missing.", error.Message);
    }
}
