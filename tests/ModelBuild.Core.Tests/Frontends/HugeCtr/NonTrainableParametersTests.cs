using System.Text.Json.Nodes;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>BatchNorm statistics from the non-trainable parameters file: missing or of another length, an error.</summary>
public sealed class NonTrainableParametersTests : HugeCtrWorkspace
{
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
}
