using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class NormalizationTranslatorsTests
{
    [Fact]
    public void BatchNormalization_in_training_mode_is_refused_with_the_reason()
    {
        var onnx = new OnnxGraphBuilder(opset: 14)
            .Input("x", ElementType.F32, 1, 2).Input("s", ElementType.F32, 2).Input("b", ElementType.F32, 2)
            .Input("m", ElementType.F32, 2).Input("v", ElementType.F32, 2)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], Int("training_mode", 1))
            .Output("y", ElementType.F32, 1, 2);
        var two = Tensor.FromArray([1f, 1f], 2);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 1, 2), two, two, two, two));

        Assert.Equal(DiagnosticCode.TranslationFailed, error.Code);
        Assert.Contains("training mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchNormalization_spatial_0_applies_parameters_per_activation()
    {
        var onnx = new OnnxGraphBuilder(opset: 7)
            .Input("x", ElementType.F32, 1, 2, 2)
            .Initializer("s", Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2))
            .Initializer("b", Tensor.FromArray([0f, 0f, 0f, 10f], 2, 2))
            .Initializer("m", Tensor.FromArray([0f, 1f, 2f, 3f], 2, 2))
            .Initializer("v", Tensor.FromArray([1f, 1f, 1f, 1f], 2, 2))
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], Int("spatial", 0), Float("epsilon", 0f))
            .Output("y", ElementType.F32, 1, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 1, 2, 2))[0];

        TensorAssert.Close([1, 2, 2], [1, 2, 3, 14], y);
    }

    [Theory]
    [InlineData(18, new[] { 2f, 3f }, new[] { 0.5f, -1f }, new[] { -1.5, 2.5, -4, 2 })]
    [InlineData(21, new[] { 1f, 2f, 3f, 4f }, new[] { 0f, 0f, 0f, 1f }, new[] { -1.0, 2, -3, 5 })]
    public void GroupNormalization_scales_per_group_before_opset_21_and_per_channel_from_it(long opset, float[] scale, float[] bias, double[] expected)
    {
        var onnx = new OnnxGraphBuilder(opset: opset)
            .Input("x", ElementType.F32, 1, 4, 1)
            .Initializer("s", Tensor.FromArray(scale, scale.Length))
            .Initializer("b", Tensor.FromArray(bias, bias.Length))
            .Node("GroupNormalization", ["x", "s", "b"], ["y"], Int("num_groups", 2), Float("epsilon", 0f))
            .Output("y", ElementType.F32, 1, 4, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 10f, 20f], 1, 4, 1))[0];

        // Groups [1,3] and [10,20] both normalize to [−1, 1].
        TensorAssert.Close([1, 4, 1], expected, y);
    }

    [Fact]
    public void LayerNormalization_with_a_dynamic_batch_returns_mean_and_inverse_deviation()
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .DynamicInput("x", ElementType.F32, -1, 2)
            .Initializer("s", Tensor.FromArray([1f, 2f], 2))
            .Node("LayerNormalization", ["x", "s"], ["y", "mean", "inv"], Float("epsilon", 1e-4f))
            .Output("y", ElementType.F32).Output("mean", ElementType.F32).Output("inv", ElementType.F32);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 2f, 2f], 2, 2));

        var inverse = new[] { 1 / Math.Sqrt(1 + 1e-4), 1 / Math.Sqrt(1e-4) };
        TensorAssert.Close([2, 2], [-inverse[0], 2 * inverse[0], 0, 0], outputs[0], 1e-4);
        TensorAssert.Close([2, 1], [2, 2], outputs[1]);
        TensorAssert.Close([2, 1], inverse, outputs[2], 1e-3);
    }

    [Fact]
    public void InstanceNormalization_on_a_dynamic_length_normalizes_each_channel()
    {
        var onnx = new OnnxGraphBuilder(opset: 6)
            .DynamicInput("x", ElementType.F32, 1, 2, -1)
            .Initializer("s", Tensor.FromArray([2f, 1f], 2))
            .Initializer("b", Tensor.FromArray([1f, 0f], 2))
            .Node("InstanceNormalization", ["x", "s", "b"], ["y"], Float("epsilon", 0f))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 5f, 5f, 8f, 2f], 1, 2, 3))[0];

        // Channel 0: mean 3, variance 8/3; channel 1: mean 5, variance 6.
        var d0 = Math.Sqrt(8.0 / 3);
        var d1 = Math.Sqrt(6);
        TensorAssert.Close([1, 2, 3], [1 - 4 / d0, 1, 1 + 4 / d0, 0, 3 / d1, -3 / d1], y);
    }

    [Fact]
    public void Lrn_with_an_even_size_sums_the_channel_and_the_next_one()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 1, 3, 1, 1)
            .Node("LRN", ["x"], ["y"], Int("size", 2), Float("alpha", 2f), Float("beta", 1f), Float("bias", 1f))
            .Output("y", ElementType.F32, 1, 3, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 1, 3, 1, 1))[0];

        // alpha/size = 1: channel c is divided by 1 + x[c]² + x[c+1]².
        TensorAssert.Close([1, 3, 1, 1], [1.0 / 6, 2.0 / 14, 3.0 / 10], y);
    }

    [Fact]
    public void Lrn_with_an_odd_size_sums_a_centred_window()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 1, 3, 1, 1)
            .Node("LRN", ["x"], ["y"], Int("size", 3), Float("alpha", 3f), Float("beta", 1f), Float("bias", 1f))
            .Output("y", ElementType.F32, 1, 3, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 1, 3, 1, 1))[0];

        TensorAssert.Close([1, 3, 1, 1], [1.0 / 6, 2.0 / 15, 3.0 / 14], y);
    }

    [Fact]
    public void LpNormalization_with_p_1_divides_by_the_sum_of_magnitudes()
    {
        var onnx = new OnnxGraphBuilder(opset: 1)
            .Input("x", ElementType.F32, 2, 2)
            .Node("LpNormalization", ["x"], ["y"], Int("p", 1), Int("axis", 1))
            .Output("y", ElementType.F32, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, -2f, 2f], 2, 2))[0];

        TensorAssert.Close([2, 2], [0.25, 0.75, -0.5, 0.5], y);
    }

    [Fact]
    public void MeanVarianceNormalization_over_chosen_axes_adds_epsilon_outside_the_root()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 2)
            .Node("MeanVarianceNormalization", ["x"], ["y"], Ints("axes", 1))
            .Output("y", ElementType.F32, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f, 4f, 4f], 2, 2))[0];

        TensorAssert.Close([2, 2], [-1, 1, 0, 0], y);
    }
}
