using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>Inference (partial shapes, errors) and kernels of Interpolate, GridSample, NMS, ROIAlign and the DFTs used directly.</summary>
public sealed class ResampleSignalOpInferenceTests
{
    private static readonly GraphBuilder Builder = new();

    [Fact]
    public void Interpolate_scales_interval_dims_like_openvino_and_keeps_unknown_ones()
    {
        var y = Builder.Make(InterpolationOps.Interpolate, [Parameter(ElementType.F32, "1,3,10..20,?"), Floats(1, 1, 2, 0.5f)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales"));

        Assert.Equal(PartialShape.Parse("1,3,20..40,?"), y.Shape);
    }

    [Fact]
    public void Interpolate_sizes_known_only_at_run_time_leave_the_resized_axes_dynamic()
    {
        var sizes = Builder.Make(InterpolationOps.Interpolate, [Parameter(ElementType.F32, "1,3,8,8"), Parameter(ElementType.I64, "2"), Builder.Int64s(2, 3)],
            ("mode", "linear_onnx"), ("shape_calculation_mode", "sizes"));
        var axes = Builder.Make(InterpolationOps.Interpolate, [Parameter(ElementType.F32, "1,3,8,8"), Builder.Int64s(4, 4), Parameter(ElementType.I64, "2")],
            ("mode", "linear_onnx"), ("shape_calculation_mode", "sizes"));

        Assert.Equal(PartialShape.Parse("1,3,?,?"), sizes.Shape);
        Assert.Equal(PartialShape.Parse("?,?,?,?"), axes.Shape);
    }

    [Fact]
    public void Interpolate_rejects_unknown_modes_and_integer_scales()
    {
        var mode = Assert.Throws<InferenceException>(() => Builder.Make(InterpolationOps.Interpolate, [Parameter(ElementType.F32, "4"), Floats(2)],
            ("mode", "area"), ("shape_calculation_mode", "scales")));
        var scales = Assert.Throws<InferenceException>(() => Builder.Make(InterpolationOps.Interpolate, [Parameter(ElementType.F32, "4"), Builder.Int64s(2)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales")));

        Assert.Contains("mode 'area'", mode.Message, StringComparison.Ordinal);
        Assert.Contains("must be floating-point", scales.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolate_4_pads_before_scaling_and_takes_sizes_and_scales_as_separate_inputs()
    {
        var y = Builder.Make(InterpolationOps.InterpolateV4, [Constant([1f, 2f, 3f, 4f], 1, 4), Builder.Int64s(1, 12), Floats(1, 2), Builder.Int64s(0, 1)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales"), ("coordinate_transformation_mode", "asymmetric"),
            ("nearest_mode", "floor"), ("pads_begin", new long[] { 0, 1 }), ("pads_end", new long[] { 0, 1 }));

        // Zero-padded to [0, 1, 2, 3, 4, 0], then every value twice.
        Assert.Equal([0f, 0f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 0f, 0f], Value(y).As<float>());
    }

    [Fact]
    public void Interpolate_linear_weights_a_triangle_around_the_rounded_source()
    {
        var y = Builder.Make(InterpolationOps.Interpolate, [Constant([1f, 3f], 2), Floats(2)], ("mode", "linear"), ("shape_calculation_mode", "scales"));

        // Sources −0.25, 0.25, 0.75, 1.25; in-range neighbours weighted 1 − distance, normalized.
        Assert.Equal([1f, 1.5f, 2.5f, 3f], Value(y).As<float>());
    }

    [Fact]
    public void Interpolate_cubic_with_a_of_minus_half_reproduces_a_linear_ramp_inside()
    {
        var y = Builder.Make(InterpolationOps.Interpolate, [Constant([0f, 1f, 2f, 3f, 4f, 5f], 6), Floats(2)],
            ("mode", "cubic"), ("shape_calculation_mode", "scales"), ("coordinate_transformation_mode", "align_corners"), ("cube_coeff", -0.5));

        // Keys' cubic with a = −0.5 reproduces linear data away from the clamped edges: x · 5 / 11 for x = 4 … 7.
        var values = Value(y).As<float>();
        Assert.Equal(12, values.Length);
        Assert.Equal([20f / 11, 25f / 11, 30f / 11, 35f / 11], values[4..8], (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Pillow_modes_are_valid_ir_but_not_evaluated()
    {
        var data = Parameter(ElementType.F32, "1,1,4,4");
        var y = Builder.Make(InterpolationOps.Interpolate, [data, Builder.Int64s(2, 2), Builder.Int64s(2, 3)], ("mode", "bilinear_pillow"), ("shape_calculation_mode", "sizes"));
        var model = new Model("pillow", [data.Node], [Node.CreateResult(y)]);

        Assert.Equal(PartialShape.Parse("1,1,2,2"), y.Shape);
        var error = Assert.Throws<NotSupportedException>(() => Reference.ReferenceEvaluator.Run(model, [Tensor.FromArray(new float[16], 1, 1, 4, 4)]));
        Assert.Contains("bilinear_pillow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridSample_merges_batches_and_rejects_a_grid_of_other_batches()
    {
        var y = Builder.Make(InterpolationOps.GridSample, [Parameter(ElementType.F32, "?,3,8,8"), Parameter(ElementType.F32, "2,5,6,2")]);
        var error = Assert.Throws<InferenceException>(() =>
            Builder.Make(InterpolationOps.GridSample, [Parameter(ElementType.F32, "1,3,8,8"), Parameter(ElementType.F32, "2,5,6,2")]));

        Assert.Equal(PartialShape.Parse("2,3,5,6"), y.Shape);
        Assert.Contains("batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridSample_reflects_indices_about_the_pixel_edges()
    {
        var grid = Constant([-2f, 0f, 2f, 0f], 1, 1, 2, 2);
        var y = Builder.Make(InterpolationOps.GridSample, [Constant([1f, 2f, 3f, 4f], 1, 1, 1, 4), grid], ("mode", "nearest"), ("padding_mode", "reflection"));

        // x = ((−2 + 1) · 4 − 1) / 2 = −2.5 → −2 (half to even) → mirrors to 1; x = 5.5 → 6 → mirrors to 1.
        Assert.Equal([2f, 2f], Value(y).As<float>());
    }

    [Fact]
    public void NonMaxSuppression_bounds_the_selection_when_the_maximum_is_constant()
    {
        var bounded = Builder.MakeMulti(DetectionOps.NonMaxSuppression, [Parameter(ElementType.F32, "2,6,4"), Parameter(ElementType.F32, "2,3,6"), Builder.Int64(4)]);
        var open = Builder.MakeMulti(DetectionOps.NonMaxSuppression, [Parameter(ElementType.F32, "2,6,4"), Parameter(ElementType.F32, "2,3,6"), Parameter(ElementType.I64, "")]);

        // min(6 boxes, 4) per class, 3 classes, 2 batches.
        Assert.Equal(PartialShape.Parse("0..24,3"), bounded[0].Shape);
        Assert.Equal(ElementType.F32, bounded[1].Type);
        Assert.Equal(PartialShape.Parse("1"), bounded[2].Shape);
        Assert.Equal(PartialShape.Parse("?,3"), open[0].Shape);
    }

    [Fact]
    public void NonMaxSuppression_rejects_boxes_that_are_not_quadruples()
    {
        var error = Assert.Throws<InferenceException>(() =>
            Builder.MakeMulti(DetectionOps.NonMaxSuppression, [Parameter(ElementType.F32, "1,6,5"), Parameter(ElementType.F32, "1,1,6")]));

        Assert.Contains("[batches, boxes, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoiAlign_output_is_rois_by_channels_by_the_pooled_size()
    {
        var y = Builder.Make(DetectionOps.RoiAlign, [Parameter(ElementType.F32, "?,16,20,20"), Parameter(ElementType.F32, "?,4"), Parameter(ElementType.I32, "7")],
            ("pooled_h", 3L), ("pooled_w", 2L), ("sampling_ratio", 0L), ("spatial_scale", 0.5), ("mode", "avg"));

        Assert.Equal(PartialShape.Parse("7,16,3,2"), y.Shape);
    }

    [Fact]
    public void Rdft_halves_the_last_transformed_axis_and_dft_needs_complex_pairs()
    {
        var rdft = Builder.Make(SignalOps.Rdft, [Parameter(ElementType.F32, "2,10,?"), Builder.Int64s(1, -1), Builder.Int64s(-1, 9)]);
        var error = Assert.Throws<InferenceException>(() => Builder.Make(SignalOps.Dft, [Parameter(ElementType.F32, "4,3"), Builder.Int64s(0)]));

        Assert.Equal(PartialShape.Parse("2,10,5,2"), rdft.Shape);
        Assert.Contains("dimension of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dft_axes_count_without_the_pair_dimension()
    {
        var error = Assert.Throws<InferenceException>(() => Builder.Make(SignalOps.Idft, [Parameter(ElementType.F32, "4,3,2"), Builder.Int64s(2)]));

        Assert.Contains("axis 2 is out of range", error.Message, StringComparison.Ordinal);
    }

    private static Output Parameter(ElementType type, string shape) => Node.CreateParameter(type, PartialShape.Parse(shape), "p").Output();

    private static Output Constant(float[] values, params long[] shape) => Builder.Constant(Tensor.FromArray(values, shape));

    private static Output Floats(params float[] values) => Builder.Constant(Tensor.FromArray(values, values.Length));

    private static Tensor Value(Output output) => output.Node.Constant!.TryGetValue()!;
}
