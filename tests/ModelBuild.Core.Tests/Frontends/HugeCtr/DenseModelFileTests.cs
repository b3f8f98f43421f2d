using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>A dense model file of the wrong size is MB4003, naming the file and the first layer that does not fit.</summary>
public sealed class DenseModelFileTests : HugeCtrWorkspace
{
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
}
