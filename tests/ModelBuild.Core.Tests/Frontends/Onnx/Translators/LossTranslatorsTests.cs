using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class LossTranslatorsTests
{
    private static readonly Tensor LogProbabilities = Tensor.FromArray([-1f, -2f, -3f, -4f, -5f, -6f], 2, 3);

    private static readonly Tensor ClassWeights = Tensor.FromArray([1f, 2f, 3f], 3);

    [Fact]
    public void Nll_without_reduction_weights_each_target_and_zeroes_a_negative_ignore_index()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3).Input("t", ElementType.I64, 2).Input("w", ElementType.F32, 3)
            .Node("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["loss"], String("reduction", "none"), Int("ignore_index", -1))
            .Output("loss", ElementType.F32, 2);

        var loss = ConversionHarness.ConvertAndRun(onnx, LogProbabilities, Tensor.FromArray([2L, -1L], 2), ClassWeights)[0];

        Assert.Equal([9f, 0f], loss.As<float>());
    }

    [Fact]
    public void Nll_mean_divides_by_the_weights_of_the_targets()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3).Input("t", ElementType.I32, 2).Input("w", ElementType.F32, 3)
            .Node("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["loss"])
            .Output("loss", ElementType.F32);

        var loss = ConversionHarness.ConvertAndRun(onnx, LogProbabilities, Tensor.FromArray([0, 2], 2), ClassWeights)[0];

        // (1·1 + 6·3) / (1 + 3)
        Assert.Equal([4.75f], loss.As<float>());
    }

    [Fact]
    public void Nll_mean_without_weights_counts_only_targets_that_are_not_ignored()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3).Input("t", ElementType.I64, 2)
            .Node("NegativeLogLikelihoodLoss", ["x", "t"], ["loss"], Int("ignore_index", 1))
            .Output("loss", ElementType.F32);

        var loss = ConversionHarness.ConvertAndRun(onnx, LogProbabilities, Tensor.FromArray([1L, 2L], 2))[0];

        Assert.Equal([6f], loss.As<float>());
    }

    [Fact]
    public void Nll_sum_handles_extra_spatial_axes_of_dynamic_length()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("x", ElementType.F32, -1, 2, -1).DynamicInput("t", ElementType.I64, -1, -1)
            .Node("NegativeLogLikelihoodLoss", ["x", "t"], ["loss"], String("reduction", "sum"))
            .Output("loss", ElementType.F32);
        var x = Tensor.FromArray([-1f, -2f, -3f, -4f], 1, 2, 2);

        var loss = ConversionHarness.ConvertAndRun(onnx, x, Tensor.FromArray([1L, 0L], 1, 2))[0];

        // −x[0, 1, 0] − x[0, 0, 1]
        Assert.Equal([5f], loss.As<float>());
    }

    [Fact]
    public void SoftmaxCrossEntropyLoss_also_returns_the_log_probabilities()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("scores", ElementType.F32, 2, 2).Input("labels", ElementType.I64, 2)
            .Node("SoftmaxCrossEntropyLoss", ["scores", "labels"], ["loss", "log_prob"])
            .Output("loss", ElementType.F32).Output("log_prob", ElementType.F32, 2, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[4], 2, 2), Tensor.FromArray([0L, 1L], 2));

        Assert.Equal(Math.Log(2), results[0].As<float>()[0], 5);
        Assert.All(results[1].As<float>(), v => Assert.Equal(-Math.Log(2), v, 5));
    }
}
