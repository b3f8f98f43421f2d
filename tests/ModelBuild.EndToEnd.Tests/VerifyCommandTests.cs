using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// `modelconvert verify MODEL.onnx` through the installed tool: ONNX Runtime against the IR in the reference evaluator,
/// on generated inputs and on the fixtures' inputs; a wrong IR fails with 1, a model ONNX Runtime cannot run exits with 3.
/// </summary>
public sealed class VerifyCommandTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Fact]
    public void Lenet5_passes_on_generated_inputs_and_prints_a_table()
    {
        var result = tool.Run("verify", Path.Combine(tool.Feed.RepositoryRoot, "samples/models/lenet5.onnx"), "--samples", "2", "--seed", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ONNX Runtime 1.32.0", result.Output, StringComparison.Ordinal);
        Assert.Contains("input 'input' generated: f32[1,1,28,28]", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^probabilities\s+f32\s+\[1,10\]\s+\S+\s+\S+\s+PASS$", result.Output);
        Assert.Contains("PASS: 1 of 1 output(s) match", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dlrm/dlrm_default", 1)]
    [InlineData("rnnt/rnnt_encoder_small", 2)]
    [InlineData("rnnt/rnnt_prediction_small", 3)]
    [InlineData("rnnt/rnnt_joint_small", 1)]
    public void Workload_fixtures_pass_on_their_test_data_set(string fixture, int outputs)
    {
        var folder = Path.Combine(TestModels.Fixtures(tool.Feed.RepositoryRoot), fixture);

        var result = tool.Run("verify", Path.Combine(folder, "model.onnx"), "--inputs", Path.Combine(folder, "test_data_set_0"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"PASS: {outputs} of {outputs} output(s) match", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The original converter's reference.onnx runs on samples/keys, reference_dense.onnx on samples/dense_only.</summary>
    [Theory]
    [InlineData("bn_ln")]
    [InlineData("bst")]
    [InlineData("dcn")]
    [InlineData("deepfm")]
    [InlineData("din")]
    [InlineData("dlrm")]
    [InlineData("misc")]
    [InlineData("wdl")]
    public void HugeCtr_references_pass_on_their_npy_samples(string model)
    {
        var folder = Path.Combine(TestModels.Fixtures(tool.Feed.RepositoryRoot), "hugectr", model);
        foreach (var (onnx, mode) in new[] { ("reference.onnx", "keys"), ("reference_dense.onnx", "dense_only") })
        {
            var result = tool.Run("verify", Path.Combine(folder, onnx), "--inputs", Path.Combine(folder, "samples", mode));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Matches(@"(?m)^label\s+f32\s+\[4,1\]\s+\S+\s+\S+\s+PASS$", result.Output);
        }
    }

    [Fact]
    public void An_IR_broken_on_purpose_fails_against_its_onnx_model()
    {
        var onnx = tool.Path("broken/lenet5.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
        File.Copy(Path.Combine(tool.Feed.RepositoryRoot, "samples/models/lenet5.onnx"), onnx);
        var xml = Path.ChangeExtension(onnx, ".xml");
        Assert.Equal(0, tool.Run(onnx, "--output_model", xml, "--compress_to_fp16=False").ExitCode);
        var sound = tool.Run("verify", xml);
        Assert.True(sound.ExitCode == 0, sound.ToString());

        // Flip the sign of the first weights in the .bin: the IR still loads and runs, but computes something else.
        var bin = Path.ChangeExtension(onnx, ".bin");
        var bytes = File.ReadAllBytes(bin);
        for (var i = 3; i < Math.Min(bytes.Length, 4096); i += 4)
        {
            bytes[i] ^= 0x80;
        }

        File.WriteAllBytes(bin, bytes);
        var broken = tool.Run("verify", xml);

        Assert.True(broken.ExitCode == 1, broken.ToString());
        Assert.Matches(@"(?m)^probabilities\s+f32\s+\[1,10\]\s+\S+\s+\S+\s+FAIL$", broken.Output);
        Assert.Contains("FAIL: 0 of 1 output(s) match", broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_ONNX_Runtime_cannot_run_exits_with_3_and_says_why()
    {
        var model = Path.Combine(TestModels.Fixtures(tool.Feed.RepositoryRoot), "dlrm/dlrm_aten/model.onnx");

        var result = tool.Run("verify", model);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("MB6003", result.Output, StringComparison.Ordinal);
        Assert.Contains("cannot run this model, so nothing was compared", result.Output, StringComparison.Ordinal);
        Assert.Contains("ATen", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_inputs_without_a_range_in_the_graph_are_a_usage_error_that_asks_for_inputs()
    {
        // Reshape's shape input sets a shape: random values would make both runtimes fail.
        var result = tool.Run("verify", Path.Combine(TestModels.BackendNodeTests, "test_reshape_extended_dims/model.onnx"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("MB6001", result.Output, StringComparison.Ordinal);
        Assert.Contains("--inputs", result.Output, StringComparison.Ordinal);
    }
}
