using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>Graph configs that are not valid JSON or lack the Data layer are MB4001, naming the file.</summary>
public sealed class GraphConfigReaderTests : HugeCtrWorkspace
{
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
}
