using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.HugeCtrReference;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr.Layers;

/// <summary>The loss layers against hugectr2onnx: the one place where ModelBuild writes another output name.</summary>
public sealed class LossLayersTests
{
    [Theory]
    [InlineData("edge_ce", true)]
    [InlineData("edge_ce", false)]
    [InlineData("edge_mce", true)]
    [InlineData("edge_mce", false)]
    public void Cross_entropy_losses_write_the_declared_output_instead_of_output(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        using var folder = new TempFolder();
        using var files = new MappedFileSet();
        var (ours, reference) = ReadBoth(fixture, convertEmbedding, folder, files);

        AssertSameInterface(reference, ours);
        var expected = reference.Proto.Graph.Node.Select(n => n.Clone()).ToList();
        Assert.Equal("output", expected[^1].Output[0]);
        expected[^1].Output[0] = "label";
        Assert.Equal(expected, ours.Proto.Graph.Node);
        AssertSameInitializers(reference, ours);
    }
}
