using System.Xml.Linq;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>
/// Resize forms the backend tests do not reach (opset 7–10 Upsample/Resize, opset 18/19 attributes,
/// the decomposed modes with constant inputs) and GridSample's opset-20 names. Expected values are
/// worked out by hand from the ONNX formulas in the comments.
/// </summary>
public sealed class ResizeTranslatorsTests
{
    private static readonly Tensor OneToFour = Tensor.FromArray([1f, 2f, 3f, 4f], 4);

    [Fact]
    public void Upsample_7_reads_scales_from_the_attribute_and_repeats_nearest_values()
    {
        var onnx = new OnnxGraphBuilder(opset: 7)
            .Input("x", ElementType.F32, 2, 2)
            .Node("Upsample", ["x"], ["y"], Floats("scales", 2f, 3f))
            .Output("y", ElementType.F32, 4, 6);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2))[0];

        // Nearest truncates x / scale: column 2 reads 2 / 3 → 0, row 1 reads 1 / 2 → 0.
        Assert.Equal([4L, 6L], y.Shape);
        Assert.Equal([1f, 1f, 1f, 2f, 2f, 2f, 1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f, 3f, 3f, 3f, 4f, 4f, 4f], y.As<float>());
    }

    [Fact]
    public void Upsample_9_linear_uses_asymmetric_coordinates_clamped_at_the_end()
    {
        var onnx = new OnnxGraphBuilder(opset: 9)
            .Input("x", ElementType.F32, 1, 2)
            .Initializer("scales", Tensor.FromArray([1f, 2f], 2))
            .Node("Upsample", ["x", "scales"], ["y"], String("mode", "linear"))
            .Output("y", ElementType.F32, 1, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 3f], 1, 2))[0];

        // x / 2 = 0, 0.5, 1, 1.5 (clamped to 1).
        Assert.Equal([1f, 2f, 3f, 3f], y.As<float>());
    }

    [Fact]
    public void Resize_18_axes_pick_the_resized_dimensions_and_may_count_from_the_end()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 2, 2)
            .Initializer("scales", Tensor.FromArray([2f], 1))
            .Node("Resize", ["x", "", "scales"], ["y"], Ints("axes", -1), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"))
            .Output("y", ElementType.F32, 2, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2))[0];

        Assert.Equal([2L, 4L], y.Shape);
        Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f], y.As<float>());
    }

    [Fact]
    public void Keep_aspect_ratio_not_smaller_scales_every_axis_by_the_largest_ratio()
    {
        var onnx = AspectRatioModel("not_smaller", [4, 4]);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4))[0];

        // Ratios 4/2 and 4/4: both axes scale by 2, so [2, 4] becomes [4, 8] and every value repeats 2 × 2.
        Assert.Equal([4L, 8L], y.Shape);
        float[] row0 = [1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f];
        float[] row1 = [5f, 5f, 6f, 6f, 7f, 7f, 8f, 8f];
        Assert.Equal([.. row0, .. row0, .. row1, .. row1], y.As<float>());
    }

    [Fact]
    public void Keep_aspect_ratio_not_larger_rounds_the_lengths_half_up()
    {
        var onnx = AspectRatioModel("not_larger", [3, 3]);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4))[0];

        // Scale min(3/2, 3/4) = 0.75: lengths round(1.5) = 2 and 3; half-pixel sources (x + 0.5) / 0.75 − 0.5
        // are 0.17, 1.5 (rows) and 0.17, 1.5, 2.83 (columns), rounded half down: rows 0, 1 and columns 0, 1, 3.
        Assert.Equal([2L, 3L], y.Shape);
        Assert.Equal([1f, 2f, 4f, 5f, 6f, 8f], y.As<float>());
    }

    [Fact]
    public void Half_pixel_symmetric_centers_a_rounded_down_output()
    {
        var onnx = new OnnxGraphBuilder(opset: 19)
            .Input("x", ElementType.F32, 2)
            .Initializer("scales", Tensor.FromArray([1.7f], 1))
            .Node("Resize", ["x", "", "scales"], ["y"], String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel_symmetric"))
            .Output("y", ElementType.F32, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 2))[0];

        // Output 3 of 3.4: offset 1 · (1 − 3/3.4) ≈ 0.1176 shifts the sources to −0.088, 0.5, 1.088.
        Assert.Equal([1f, 1.5f, 2f], y.As<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Tf_crop_and_resize_samples_the_roi_and_extrapolates_outside_the_input()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 1, 4)
            .Initializer("roi", Tensor.FromArray([0f, 0.5f, 1f, 1.5f], 4))
            .Initializer("sizes", Tensor.FromArray([1L, 3L], 2))
            .Node("Resize", ["x", "roi", "", "sizes"], ["y"], String("mode", "linear"),
                String("coordinate_transformation_mode", "tf_crop_and_resize"), Float("extrapolation_value", 10f))
            .Output("y", ElementType.F32, 1, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToFour.Reshape(1, 4))[0];

        // Columns: x · (1.5 − 0.5) · 3 / 2 + 0.5 · 3 = 1.5, 3, 4.5; the last lies beyond 3.
        Assert.Equal([2.5f, 4f, 10f], y.As<float>());
    }

    [Fact]
    public void Exclude_outside_drops_cubic_taps_beyond_the_input_and_renormalizes()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 4)
            .Initializer("scales", Tensor.FromArray([0.5f], 1))
            .Node("Resize", ["x", "", "scales"], ["y"], String("mode", "cubic"), Float("cubic_coeff_a", -0.5f), Int("exclude_outside", 1))
            .Output("y", ElementType.F32, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToFour)[0];

        // Sources 0.5 and 2.5, weights c(1.5), c(0.5), c(0.5), c(1.5) = −0.0625, 0.5625, 0.5625, −0.0625;
        // taps −1 and 4 are outside, the rest sum to 1.0625.
        Assert.Equal([1.5f / 1.0625f, 3.8125f / 1.0625f], y.As<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Antialias_widens_the_linear_filter_when_downsampling()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 4)
            .Initializer("scales", Tensor.FromArray([0.5f], 1))
            .Node("Resize", ["x", "", "scales"], ["y"], String("mode", "linear"), Int("antialias", 1))
            .Output("y", ElementType.F32, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToFour)[0];

        // Four taps at distances 1.5, 0.5, 0.5, 1.5 scaled by 0.5: weights 1/8, 3/8, 3/8, 1/8 (edge taps clamped).
        Assert.Equal([1.625f, 3.375f], y.As<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Resize_of_a_dynamic_input_computes_the_output_shape_at_run_time()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("x", ElementType.F32, -1, -1)
            .Initializer("scales", Tensor.FromArray([1f, 2f], 2))
            .Node("Resize", ["x", "", "scales"], ["y"], String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 1, 3))[0];

        Assert.Equal([1L, 6L], y.Shape);
        Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f], y.As<float>());
    }

    [Theory]
    [InlineData(2f, 1)]
    [InlineData(1.5f, 0)]
    public void Align_corners_uses_interpolate_only_when_scale_times_length_is_whole(float scale, int interpolateLayers)
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 1, 5)
            .Initializer("scales", Tensor.FromArray([1f, scale], 2))
            .Node("Resize", ["x", "", "scales"], ["y"], String("mode", "linear"), String("coordinate_transformation_mode", "align_corners"))
            .Output("y", ElementType.F32);

        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([0f, 1f, 2f, 3f, 4f], 1, 5))[0];

        Assert.Equal(interpolateLayers, XDocument.Load(xml).Descendants("layer").Count(l => (string?)l.Attribute("type") == "Interpolate"));

        // ONNX divides by scale · 5 − 1 (9 or 6.5), not by the output length − 1 (9 or 6).
        var expected = Enumerable.Range(0, (int)(5 * scale)).Select(x => x * 4f / (5 * scale - 1)).ToArray();
        Assert.Equal(expected, y.As<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Resize_needs_exactly_one_of_scales_and_sizes()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 4)
            .Initializer("scales", Tensor.FromArray([2f], 1))
            .Initializer("sizes", Tensor.FromArray([8L], 1))
            .Node("Resize", ["x", "", "scales", "sizes"], ["y"])
            .Output("y", ElementType.F32, 8);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, OneToFour));

        Assert.Contains("exactly one of scales and sizes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridSample_20_accepts_linear_for_bilinear()
    {
        var onnx = new OnnxGraphBuilder(opset: 20)
            .Input("x", ElementType.F32, 1, 1, 2, 2).Input("grid", ElementType.F32, 1, 1, 1, 2)
            .Node("GridSample", ["x", "grid"], ["y"], String("mode", "linear"))
            .Output("y", ElementType.F32, 1, 1, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToFour.Reshape(1, 1, 2, 2), Tensor.FromArray(new float[2], 1, 1, 1, 2))[0];

        // The grid's center lies between all four pixels.
        Assert.Equal([2.5f], y.As<float>());
    }

    [Theory]
    [InlineData(0, -1.2f, 1f)]
    [InlineData(1, 1.5f, 4f)]
    public void Bicubic_border_sampling_moves_outside_locations_onto_the_edge_pixel(long alignCorners, float gridX, float expected)
    {
        var onnx = new OnnxGraphBuilder(opset: 16)
            .Input("x", ElementType.F32, 1, 1, 1, 4).Input("grid", ElementType.F32, 1, 1, 1, 2)
            .Node("GridSample", ["x", "grid"], ["y"], String("mode", "bicubic"), String("padding_mode", "border"), Int("align_corners", alignCorners))
            .Output("y", ElementType.F32, 1, 1, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToFour.Reshape(1, 1, 1, 4), Tensor.FromArray([gridX, 0f], 1, 1, 1, 2))[0];

        // −1.2 lies at pixel −0.9, beyond the image edge at −0.5: sampled at pixel 0 exactly (clamping only the
        // neighbours would give 0.993); with aligned corners 1.5 lies beyond the last pixel center.
        Assert.Equal([expected], y.As<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    private static AttributeProto Floats(string name, params float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    private static OnnxGraphBuilder AspectRatioModel(string policy, long[] sizes) =>
        new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 2, 4)
            .Initializer("sizes", Tensor.FromArray(sizes, sizes.Length))
            .Node("Resize", ["x", "", "", "sizes"], ["y"], String("keep_aspect_ratio_policy", policy))
            .Output("y", ElementType.F32);
}
