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
    private const long EncoderLength = 157;

    // The fixtures' README: FP32 IR against ONNX Runtime within rtol 1e-4, atol 1e-5.
    private static readonly Tolerance FixtureTolerance = new(1e-4, 1e-5);

    [Theory]
    [InlineData("dlrm/dlrm_default")]
    [InlineData("dlrm/dlrm_aten")]
    [InlineData("rnnt/rnnt_encoder_small")]
    [InlineData("rnnt/rnnt_prediction_small")]
    [InlineData("rnnt/rnnt_joint_small")]
    public void Fixture_computes_the_onnx_runtime_outputs(string fixture)
    {
        using var work = new TempFolder();

        var result = BackendTestVerifier.Verify(FixtureFolder(fixture), work.Path, FixtureTolerance);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.DataSets >= 2, $"{fixture} has {result.DataSets} data set(s), the fixtures hold two");
    }

    /// <summary>
    /// The RNN-T guide's conversion: input.1 pinned to [157, 1, 240] and the length input frozen to
    /// 157. Only the data set of that length fits the pinned model, so it alone is verified.
    /// </summary>
    [Fact]
    public void Rnnt_encoder_with_pinned_input_and_frozen_length_computes_the_onnx_runtime_outputs()
    {
        var source = FixtureFolder("rnnt/rnnt_encoder_small");
        var matching = Directory.GetDirectories(source, "test_data_set_*")
            .Where(d => BackendTestVerifier.ReadTensor(Path.Combine(d, "input_0.pb")).Shape[0] == EncoderLength)
            .ToList();
        Assert.Single(matching);
        using var work = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(work.Path, "rnnt_encoder_pinned")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "model.onnx"), Path.Combine(source, "model.onnx"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "test_data_set_0"), matching[0]);
        var options = new FrontendOptions
        {
            Inputs =
            [
                new InputOverride { Name = "input.1", Shape = PartialShape.Static(EncoderLength, 1, 240) },
                new InputOverride { Name = "1", Value = [EncoderLength] },
            ],
        };

        var result = BackendTestVerifier.Verify(folder, work.Path, FixtureTolerance, request => request with { Frontend = options });

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
