using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>The fixtures cover every layer type the table supports.</summary>
public sealed class HugeCtrLayerTableTests
{
    [Fact]
    public void The_fixtures_cover_every_supported_layer_type()
    {
        using var files = new MappedFileSet();
        var used = Directory.GetDirectories(HugeCtrFixture.Root)
            .SelectMany(folder => GraphConfigReader.Read(new HugeCtrFixture(Path.GetFileName(folder)).GraphConfig, files).Layers)
            .Select(l => l.Type)
            .ToHashSet();

        Assert.Equal([], HugeCtrLayerTable.Builders.Keys.Except(used));
    }
}
