using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>NonMaxSuppression and RoiAlign cases the backend tests leave out.</summary>
public sealed class DetectionTranslatorsTests
{
    // Two boxes far apart: only the score threshold can drop either.
    private static readonly Tensor TwoBoxes = Tensor.FromArray([0f, 0f, 1f, 1f, 5f, 5f, 6f, 6f], 1, 2, 4);

    [Fact]
    public void A_score_equal_to_a_constant_threshold_is_dropped()
    {
        var onnx = NmsModel(withThreshold: true, thresholdIsInput: false);

        var selected = ConversionHarness.ConvertAndRun(onnx, TwoBoxes, Tensor.FromArray([0.5f, 0.4f], 1, 1, 2))[0];

        Assert.Equal([0L, 0L, 0L], selected.As<long>());
    }

    [Fact]
    public void A_score_equal_to_a_threshold_computed_at_run_time_is_dropped()
    {
        var onnx = NmsModel(withThreshold: true, thresholdIsInput: true);

        var selected = ConversionHarness.ConvertAndRun(onnx, TwoBoxes, Tensor.FromArray([0.5f, 0.4f], 1, 1, 2), Tensor.FromArray([0.4f], 1))[0];

        Assert.Equal([0L, 0L, 0L], selected.As<long>());
    }

    [Fact]
    public void Without_a_score_threshold_negative_scores_are_kept_best_first()
    {
        var onnx = NmsModel(withThreshold: false, thresholdIsInput: false);

        var selected = ConversionHarness.ConvertAndRun(onnx, TwoBoxes, Tensor.FromArray([-2f, -1f], 1, 1, 2))[0];

        Assert.Equal([2L, 3L], selected.Shape);
        Assert.Equal([0L, 0L, 1L, 0L, 0L, 0L], selected.As<long>());
    }

    [Theory]
    [InlineData(10, "", 2.5f)]
    [InlineData(16, "output_half_pixel", 2.5f)]
    [InlineData(16, "half_pixel", 1f)]
    public void RoiAlign_shifts_the_box_by_half_a_pixel_only_in_half_pixel_mode(long opset, string mode, float expected)
    {
        var attributes = new List<AttributeProto> { Int("output_height", 1), Int("output_width", 1), Int("sampling_ratio", 1) };
        if (mode.Length > 0)
        {
            attributes.Add(String("coordinate_transformation_mode", mode));
        }

        var onnx = new OnnxGraphBuilder(opset)
            .Input("x", ElementType.F32, 1, 1, 2, 2)
            .Initializer("rois", Tensor.FromArray([0f, 0f, 1f, 1f], 1, 4))
            .Initializer("batch", Tensor.FromArray([0L], 1))
            .Node("RoiAlign", ["x", "rois", "batch"], ["y"], [.. attributes])
            .Output("y", ElementType.F32, 1, 1, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 1, 1, 2, 2))[0];

        // One sample in the middle of the box: (0.5, 0.5) interpolates all four pixels, (0, 0) is the first.
        Assert.Equal([expected], y.As<float>());
    }

    [Fact]
    public void RoiAlign_max_mode_is_reported_as_unsupported()
    {
        var onnx = new OnnxGraphBuilder(opset: 16)
            .Input("x", ElementType.F32, 1, 1, 2, 2).Input("rois", ElementType.F32, 1, 4).Input("batch", ElementType.I64, 1)
            .Node("RoiAlign", ["x", "rois", "batch"], ["y"], String("mode", "max"))
            .Output("y", ElementType.F32, 1, 1, 1, 1);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx));

        Assert.Equal(DiagnosticCode.TranslationFailed, error.Code);
        Assert.Contains("mode 'max'", error.Message, StringComparison.Ordinal);
    }

    private static OnnxGraphBuilder NmsModel(bool withThreshold, bool thresholdIsInput)
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("boxes", ElementType.F32, 1, 2, 4).Input("scores", ElementType.F32, 1, 1, 2)
            .Initializer("max", Tensor.FromArray([10L], 1))
            .Initializer("iou", Tensor.FromArray([0.5f], 1));
        if (thresholdIsInput)
        {
            onnx.Input("threshold", ElementType.F32, 1);
        }
        else if (withThreshold)
        {
            onnx.Initializer("threshold", Tensor.FromArray([0.4f], 1));
        }

        string[] inputs = withThreshold ? ["boxes", "scores", "max", "iou", "threshold"] : ["boxes", "scores", "max", "iou"];
        return onnx.Node("NonMaxSuppression", inputs, ["selected"]).Output("selected", ElementType.I64);
    }
}
