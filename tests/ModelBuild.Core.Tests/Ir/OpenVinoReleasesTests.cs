using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Ir;
using Xunit;

namespace ModelBuild.Core.Tests.Ir;

/// <summary>The release → opset table (OpenVINO's "Available Operation Sets") and how target versions are read.</summary>
public sealed class OpenVinoReleasesTests
{
    [Theory]
    [InlineData("2022.1", 8)]
    [InlineData("2022.2", 9)]
    [InlineData("2022.3", 10)]
    [InlineData("2022.3.2", 10)]
    [InlineData("2023.0", 11)]
    [InlineData("2023.1", 12)]
    [InlineData("2023.2", 13)]
    [InlineData("2023.3", 13)]
    [InlineData("2024.0", 14)]
    [InlineData("2024.4", 14)]
    [InlineData("2024.5", 15)]
    [InlineData("2024.6.0", 15)]
    [InlineData("2025.1", 15)]
    public void A_release_reads_the_newest_opset_released_at_or_before_it(string version, int opset)
    {
        var release = OpenVinoReleases.Parse(version);

        Assert.Equal(opset, release.Opset);
        Assert.Equal(version, release.Name);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("2023.x")]
    [InlineData("")]
    [InlineData("2024.0-rc1")]
    public void A_version_that_is_not_a_release_number_is_MB2007(string version)
    {
        var error = Assert.Throws<ModelBuildException>(() => OpenVinoReleases.Parse(version));

        Assert.Equal(DiagnosticCode.InvalidTargetRelease, error.Code);
        Assert.Contains("2022.1", error.Message);
    }

    [Fact]
    public void A_release_older_than_the_first_that_reads_IR_v11_is_MB2007()
    {
        var error = Assert.Throws<ModelBuildException>(() => OpenVinoReleases.Parse("2021.4"));

        Assert.Equal(DiagnosticCode.InvalidTargetRelease, error.Code);
        Assert.Contains("cannot read IR v11", error.Message);
    }

    [Fact]
    public void The_newest_release_reads_every_op_version_ModelBuild_writes()
    {
        Assert.Equal(Core.Ops.OpsetRegistry.All.Max(op => op.Version), OpenVinoReleases.Newest.Opset);
        Assert.Equal("2022.2", OpenVinoReleases.FirstWith(9)!.Name);
        Assert.Null(OpenVinoReleases.FirstWith(OpenVinoReleases.Newest.Opset + 1));
    }
}
