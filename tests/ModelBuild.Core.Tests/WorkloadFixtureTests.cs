using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>
/// The real workloads the product promises: DLRM (EmbeddingBag exported as Loops, and as ATen
/// embedding_bag) and MLCommons RNN-T (LSTM encoder, prediction and joint networks), converted,
/// read back and run on the ONNX Runtime outputs in <c>../shared/fixtures</c>.
/// </summary>
public sealed class WorkloadFixtureTests
{
    private static readonly Tolerance FixtureTolerance = SharedFolders.FixtureTolerance;

    public static TheoryData<string> OnnxWorkloads() => new(SharedFolders.OnnxWorkloads);

    [Theory]
    [MemberData(nameof(OnnxWorkloads))]
    public void Fixture_computes_the_onnx_runtime_outputs(string fixture)
    {
        using var work = new TempFolder();

        var result = BackendTestVerifier.Verify(FixtureFolder(fixture), work.Path, FixtureTolerance);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.DataSets >= 2, $"{fixture} has {result.DataSets} data set(s), the fixtures hold two");
    }

    /// <summary>The RNN-T guide's encoder conversion (pinned input, frozen length), verified on the data set of that length.</summary>
    [Fact]
    public void Rnnt_encoder_with_pinned_input_and_frozen_length_computes_the_onnx_runtime_outputs()
    {
        using var work = new TempFolder();
        var encoder = PinnedRnntEncoder.In(work.Path);

        var result = BackendTestVerifier.Verify(encoder.Folder, work.Path, FixtureTolerance, request => request with { Frontend = encoder.Options });

        Assert.True(result.Passed, result.Failure);
        Assert.Equal(1, result.DataSets);
    }

    private static string FixtureFolder(string fixture)
    {
        var folder = SharedFolders.Fixture(fixture);
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")), $"The fixture {folder} has no model.onnx.");
        return folder;
    }
}
