using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Inference (partial shapes, errors) and kernel of Interpolate.</summary>
public sealed class InterpolateTests
{
    [Fact]
    public void Interpolate_scales_interval_dims_like_openvino_and_keeps_unknown_ones()
    {
        var y = Builder.Make(ImageOps.Interpolate, [Parameter(ElementType.F32, "1,3,10..20,?"), Floats(1, 1, 2, 0.5f)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales"));

        Assert.Equal(PartialShape.Parse("1,3,20..40,?"), y.Shape);
    }

    [Fact]
    public void Interpolate_sizes_known_only_at_run_time_leave_the_resized_axes_dynamic()
    {
        var sizes = Builder.Make(ImageOps.Interpolate, [Parameter(ElementType.F32, "1,3,8,8"), Parameter(ElementType.I64, "2"), Builder.Int64s(2, 3)],
            ("mode", "linear_onnx"), ("shape_calculation_mode", "sizes"));
        var axes = Builder.Make(ImageOps.Interpolate, [Parameter(ElementType.F32, "1,3,8,8"), Builder.Int64s(4, 4), Parameter(ElementType.I64, "2")],
            ("mode", "linear_onnx"), ("shape_calculation_mode", "sizes"));

        Assert.Equal(PartialShape.Parse("1,3,?,?"), sizes.Shape);
        Assert.Equal(PartialShape.Parse("?,?,?,?"), axes.Shape);
    }

    [Fact]
    public void Interpolate_rejects_unknown_modes_and_integer_scales()
    {
        var mode = Assert.Throws<InferenceException>(() => Builder.Make(ImageOps.Interpolate, [Parameter(ElementType.F32, "4"), Floats(2)],
            ("mode", "area"), ("shape_calculation_mode", "scales")));
        var scales = Assert.Throws<InferenceException>(() => Builder.Make(ImageOps.Interpolate, [Parameter(ElementType.F32, "4"), Builder.Int64s(2)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales")));

        Assert.Contains("mode 'area'", mode.Message, StringComparison.Ordinal);
        Assert.Contains("must be floating-point", scales.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolate_4_pads_before_scaling_and_takes_sizes_and_scales_as_separate_inputs()
    {
        var y = Builder.Make(ImageOps.InterpolateV4, [Constant([1f, 2f, 3f, 4f], 1, 4), Builder.Int64s(1, 12), Floats(1, 2), Builder.Int64s(0, 1)],
            ("mode", "nearest"), ("shape_calculation_mode", "scales"), ("coordinate_transformation_mode", "asymmetric"),
            ("nearest_mode", "floor"), ("pads_begin", new long[] { 0, 1 }), ("pads_end", new long[] { 0, 1 }));

        // Zero-padded to [0, 1, 2, 3, 4, 0], then every value twice.
        Assert.Equal([0f, 0f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 0f, 0f], Value(y).As<float>());
    }

    [Fact]
    public void Interpolate_linear_weights_a_triangle_around_the_rounded_source()
    {
        var y = Builder.Make(ImageOps.Interpolate, [Constant([1f, 3f], 2), Floats(2)], ("mode", "linear"), ("shape_calculation_mode", "scales"));

        // Sources −0.25, 0.25, 0.75, 1.25; in-range neighbours weighted 1 − distance, normalized.
        Assert.Equal([1f, 1.5f, 2.5f, 3f], Value(y).As<float>());
    }

    [Fact]
    public void Interpolate_cubic_with_a_of_minus_half_reproduces_a_linear_ramp_inside()
    {
        var y = Builder.Make(ImageOps.Interpolate, [Constant([0f, 1f, 2f, 3f, 4f, 5f], 6), Floats(2)],
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
        var y = Builder.Make(ImageOps.Interpolate, [data, Builder.Int64s(2, 2), Builder.Int64s(2, 3)], ("mode", "bilinear_pillow"), ("shape_calculation_mode", "sizes"));
        var model = new Model("pillow", [data.Node], [Node.CreateResult(y)]);

        Assert.Equal(PartialShape.Parse("1,1,2,2"), y.Shape);
        var error = Assert.Throws<NotSupportedException>(() => Core.Reference.ReferenceEvaluator.Run(model, [Tensor.FromArray(new float[16], 1, 1, 4, 4)]));
        Assert.Contains("bilinear_pillow", error.Message, StringComparison.Ordinal);
    }
}
