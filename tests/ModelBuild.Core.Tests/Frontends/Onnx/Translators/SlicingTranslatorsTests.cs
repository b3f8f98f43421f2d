using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>Slice, Split, Tile, Pad and Trilu forms the ONNX backend tests do not reach (opset variants, dynamic shapes, errors).</summary>
public sealed class SlicingTranslatorsTests
{
    [Fact]
    public void Opset1_slice_takes_attributes_and_clamps_out_of_range_ends()
    {
        var onnx = new OnnxGraphBuilder(opset: 1)
            .Input("x", ElementType.F32, 3, 4)
            .Node("Slice", ["x"], ["y"], OnnxGraphBuilder.Ints("starts", 1, 0), OnnxGraphBuilder.Ints("ends", 1000, -1), OnnxGraphBuilder.Ints("axes", 0, 1))
            .Output("y", ElementType.F32, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Iota(3, 4))[0];

        Assert.Equal([2L, 3L], y.Shape);
        Assert.Equal([4f, 5f, 6f, 8f, 9f, 10f], y.As<float>());
    }

    [Fact]
    public void Negative_steps_walk_backwards_from_a_clamped_start_to_int64_min()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 5)
            .Initializer("starts", Tensor.FromArray([long.MaxValue], 1))
            .Initializer("ends", Tensor.FromArray([long.MinValue], 1))
            .Initializer("axes", Tensor.FromArray([-1L], 1))
            .Initializer("steps", Tensor.FromArray([-2L], 1))
            .Node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])
            .Output("y", ElementType.F32, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Iota(5))[0];

        Assert.Equal([4f, 2f, 0f], y.As<float>());
    }

    /// <summary>
    /// Found by the differential suite: with a negative step, ONNX clamps a start before the beginning to the first element
    /// (ONNX Runtime takes it); Slice-8 reads it as Python does and took nothing.
    /// </summary>
    [Fact]
    public void A_negative_step_from_a_start_before_the_beginning_takes_the_first_element()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 4)
            .Initializer("starts", Tensor.FromArray([-6L], 1))
            .Initializer("ends", Tensor.FromArray([long.MinValue], 1))
            .Initializer("axes", Tensor.FromArray([1L], 1))
            .Initializer("steps", Tensor.FromArray([-1L], 1))
            .Node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])
            .Output("y", ElementType.F32, 2, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, Iota(2, 4))[0];

        Assert.Equal([2L, 1L], y.Shape);
        Assert.Equal([0f, 4f], y.As<float>());
    }

    [Fact]
    public void Slicing_a_dynamic_dim_with_constant_bounds_keeps_an_upper_bound()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("x", ElementType.F32, -1, -1)
            .Initializer("starts", Tensor.FromArray([2L], 1))
            .Initializer("ends", Tensor.FromArray([5L], 1))
            .Initializer("axes", Tensor.FromArray([1L], 1))
            .Node("Slice", ["x", "starts", "ends", "axes"], ["y"])
            .Output("y", ElementType.F32, 2, 3);

        Assert.Equal("[?,..3]", OutputShapes(onnx)[0].ToDisplayString());
        var y = ConversionHarness.ConvertAndRun(onnx, Iota(2, 4))[0];
        Assert.Equal([2f, 3f, 6f, 7f], y.As<float>());
    }

    [Fact]
    public void Slicing_a_shape_vector_keeps_the_known_dims_of_a_dynamic_input()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("x", ElementType.F32, -1, 4, 5)
            .Input("y", ElementType.F32, 1)
            .Initializer("starts", Tensor.FromArray([1L], 1))
            .Initializer("ends", Tensor.FromArray([long.MaxValue], 1))
            .Node("Shape", ["x"], ["shape"])
            .Node("Slice", ["shape", "starts", "ends"], ["tail"])
            .Node("Expand", ["y", "tail"], ["z"])
            .Output("z", ElementType.F32, 4, 5);

        Assert.Equal("[4,5]", OutputShapes(onnx)[0].ToDisplayString());
    }

    [Fact]
    public void Opset18_num_outputs_leaves_a_smaller_last_chunk()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 7)
            .Node("Split", ["x"], ["a", "b", "c"], OnnxGraphBuilder.Int("num_outputs", 3))
            .Output("a", ElementType.F32, 3).Output("b", ElementType.F32, 3).Output("c", ElementType.F32, 1);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Iota(7));

        Assert.Equal([0f, 1f, 2f], outputs[0].As<float>());
        Assert.Equal([3f, 4f, 5f], outputs[1].As<float>());
        Assert.Equal([6f], outputs[2].As<float>());
    }

    [Fact]
    public void Opset18_num_outputs_on_a_dynamic_dim_computes_the_chunks_at_run_time()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .DynamicInput("x", ElementType.F32, -1)
            .Node("Split", ["x"], ["a", "b", "c"], OnnxGraphBuilder.Int("num_outputs", 3))
            .Output("a", ElementType.F32, 3).Output("b", ElementType.F32, 3).Output("c", ElementType.F32, 1);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Iota(8));

        Assert.Equal([0f, 1f, 2f], outputs[0].As<float>());
        Assert.Equal([3f, 4f, 5f], outputs[1].As<float>());
        Assert.Equal([6f, 7f], outputs[2].As<float>());
    }

    [Fact]
    public void Opset11_split_attribute_gives_the_part_lengths()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 2, 5)
            .Node("Split", ["x"], ["a", "b"], OnnxGraphBuilder.Int("axis", -1), OnnxGraphBuilder.Ints("split", 2, 3))
            .Output("a", ElementType.F32, 2, 2).Output("b", ElementType.F32, 2, 3);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Iota(2, 5));

        Assert.Equal([0f, 1f, 5f, 6f], outputs[0].As<float>());
        Assert.Equal([2f, 3f, 4f, 7f, 8f, 9f], outputs[1].As<float>());
    }

    [Fact]
    public void Equal_split_of_an_indivisible_dim_is_a_conversion_error()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 5)
            .Node("Split", ["x"], ["a", "b"])
            .Output("a", ElementType.F32, 2).Output("b", ElementType.F32, 3);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Iota(5)));

        Assert.Contains("does not split into 2 equal parts", error.Message);
    }

    [Fact]
    public void Opset18_pad_axes_pad_only_the_listed_axes()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 2, 2)
            .Initializer("pads", Tensor.FromArray([1L, 2L], 2))
            .Initializer("value", Tensor.FromArray([9f], []))
            .Initializer("axes", Tensor.FromArray([-1L], 1))
            .Node("Pad", ["x", "pads", "value", "axes"], ["y"])
            .Output("y", ElementType.F32, 2, 5);

        var y = ConversionHarness.ConvertAndRun(onnx, Iota(2, 2))[0];

        Assert.Equal([2L, 5L], y.Shape);
        Assert.Equal([9f, 0f, 1f, 9f, 9f, 9f, 2f, 3f, 9f, 9f], y.As<float>());
    }

    [Fact]
    public void Wrap_padding_repeats_the_input_periodically()
    {
        var onnx = new OnnxGraphBuilder(opset: 19)
            .Input("x", ElementType.F32, 3)
            .Initializer("pads", Tensor.FromArray([2L, 4L], 2))
            .Node("Pad", ["x", "pads"], ["y"], OnnxGraphBuilder.String("mode", "wrap"))
            .Output("y", ElementType.F32, 9);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f], 3))[0];

        Assert.Equal([2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f, 1f], y.As<float>());
    }

    [Fact]
    public void Negative_pads_crop()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 4)
            .Initializer("pads", Tensor.FromArray([-1L, 1L], 2))
            .Node("Pad", ["x", "pads"], ["y"])
            .Output("y", ElementType.F32, 4);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f], 4))[0];

        Assert.Equal([2f, 3f, 4f, 0f], y.As<float>());
    }

    [Fact]
    public void Opset2_pad_attributes_with_edge_mode()
    {
        var onnx = new OnnxGraphBuilder(opset: 2)
            .Input("x", ElementType.F32, 2)
            .Node("Pad", ["x"], ["y"], OnnxGraphBuilder.Ints("pads", 2, 1), OnnxGraphBuilder.String("mode", "edge"))
            .Output("y", ElementType.F32, 5);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 2))[0];

        Assert.Equal([1f, 1f, 1f, 2f, 2f], y.As<float>());
    }

    [Fact]
    public void Reflect_padding_wider_than_the_input_is_a_conversion_error()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2)
            .Initializer("pads", Tensor.FromArray([2L, 0L], 2))
            .Node("Pad", ["x", "pads"], ["y"], OnnxGraphBuilder.String("mode", "reflect"))
            .Output("y", ElementType.F32, 4);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Iota(2)));

        Assert.Contains("reflect padding", error.Message);
    }

    [Fact]
    public void Opset1_tile_repeats_along_one_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 1)
            .Input("x", ElementType.F32, 2, 2)
            .Initializer("tiles", Tensor.FromArray([3L], []))
            .Initializer("axis", Tensor.FromArray([1L], []))
            .Node("Tile", ["x", "tiles", "axis"], ["y"])
            .Output("y", ElementType.F32, 2, 6);

        var y = ConversionHarness.ConvertAndRun(onnx, Iota(2, 2))[0];

        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f, 2f, 3f, 2f, 3f, 2f, 3f], y.As<float>());
    }

    [Fact]
    public void Trilu_on_dynamic_dims_masks_at_run_time()
    {
        var onnx = new OnnxGraphBuilder(opset: 14)
            .DynamicInput("x", ElementType.F32, -1, -1)
            .Initializer("k", Tensor.FromArray([-1L], []))
            .Node("Trilu", ["x", "k"], ["y"], OnnxGraphBuilder.Int("upper", 0))
            .Output("y", ElementType.F32, 3, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(Enumerable.Repeat(1f, 9).ToArray(), 3, 3))[0];

        Assert.Equal([0f, 0f, 0f, 1f, 0f, 0f, 1f, 1f, 0f], y.As<float>());
    }

    private static Tensor Iota(params long[] shape) =>
        Tensor.FromArray(Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(i => (float)i).ToArray(), shape);

    /// <summary>The shapes of the converted model's outputs, as written to the IR.</summary>
    private static List<PartialShape> OutputShapes(OnnxGraphBuilder onnx)
    {
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        using var files = new MappedFileSet();
        return IrReader.Read(xml, files).Results.Select(r => r.Input(0).Shape).ToList();
    }
}
