using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class SoftmaxTranslatorsTests
{
    [Theory]
    [InlineData(11, 0.25)] // coerced to 2-D: one softmax over the 2·2 trailing elements
    [InlineData(13, 0.5)] // along axis 1 only
    public void Softmax_before_opset_13_normalizes_over_all_axes_from_axis_on(long opset, double expected)
    {
        var onnx = new OnnxGraphBuilder(opset)
            .Input("x", ElementType.F32, 2, 2, 2)
            .Node("Softmax", ["x"], ["y"], Int("axis", 1))
            .Output("y", ElementType.F32, 2, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[8], 2, 2, 2))[0];

        Assert.Equal([2L, 2L, 2L], y.Shape);
        Assert.All(y.As<float>(), v => Assert.Equal(expected, v, 6));
    }

    [Fact]
    public void Coerced_softmax_works_on_dynamic_dimensions()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .DynamicInput("x", ElementType.F32, -1, -1, -1)
            .Node("LogSoftmax", ["x"], ["y"], Int("axis", 1))
            .Output("y", ElementType.F32, 1, 2, 2);
        var x = Tensor.FromArray([0f, 0f, 0f, (float)Math.Log(5)], 1, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0].As<float>();

        Assert.Equal(Math.Log(1.0 / 8), y[0], 5);
        Assert.Equal(Math.Log(5.0 / 8), y[3], 5);
    }

    [Fact]
    public void LogSoftmax_from_opset_13_defaults_to_the_last_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F64, 2, 2)
            .Node("LogSoftmax", ["x"], ["y"])
            .Output("y", ElementType.F64, 2, 2);
        var x = Tensor.FromArray([0.0, Math.Log(3), 1000.0, 1000.0], 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0].As<double>();

        Assert.Equal(Math.Log(0.25), y[0], 10);
        Assert.Equal(Math.Log(0.75), y[1], 10);
        Assert.Equal(Math.Log(0.5), y[2], 10);
    }

    [Fact]
    public void Hardmax_marks_the_first_maximum()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Node("Hardmax", ["x"], ["y"])
            .Output("y", ElementType.F32, 2, 3);
        var x = Tensor.FromArray([1f, 3f, 3f, 2f, 0f, 1f], 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0];

        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f], y.As<float>());
    }

    [Fact]
    public void Hardmax_before_opset_13_marks_one_maximum_per_flattened_slice()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 1, 2, 2)
            .Node("Hardmax", ["x"], ["y"], Int("axis", 1))
            .Output("y", ElementType.F32, 1, 2, 2);
        var x = Tensor.FromArray([1f, 4f, 9f, 2f], 1, 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0];

        Assert.Equal([1L, 2L, 2L], y.Shape);
        Assert.Equal([0f, 0f, 1f, 0f], y.As<float>());
    }

    [Fact]
    public void TopK_opset_1_takes_k_from_the_attribute_and_keeps_ties_in_index_order()
    {
        var onnx = new OnnxGraphBuilder(opset: 1)
            .Input("x", ElementType.F32, 4)
            .Node("TopK", ["x"], ["values", "indices"], Int("k", 2))
            .Output("values", ElementType.F32, 2).Output("indices", ElementType.I64, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([3f, 1f, 3f, 2f], 4));

        Assert.Equal([3f, 3f], results[0].As<float>());
        Assert.Equal([0L, 2L], results[1].As<long>());
    }

    [Fact]
    public void TopK_opset_11_finds_the_smallest_with_k_as_an_input()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.I32, 2, 3)
            .Input("k", ElementType.I64, 1)
            .Node("TopK", ["x", "k"], ["values", "indices"], Int("axis", 0), Int("largest", 0))
            .Output("values", ElementType.I32, 1, 3).Output("indices", ElementType.I64, 1, 3);
        var x = Tensor.FromArray([5, 1, 7, 5, 0, 8], 2, 3);

        var results = ConversionHarness.ConvertAndRun(onnx, x, Tensor.FromArray([1L], 1));

        Assert.Equal([1L, 3L], results[0].Shape);
        Assert.Equal([5, 0, 7], results[0].As<int>());
        Assert.Equal([0L, 1L, 0L], results[1].As<long>());
    }

    [Fact]
    public void TopK_works_along_a_dynamic_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 10)
            .DynamicInput("x", ElementType.F32, 2, -1)
            .Input("k", ElementType.I64, 1)
            .Node("TopK", ["x", "k"], ["values", "indices"])
            .Output("values", ElementType.F32, 2, 2).Output("indices", ElementType.I64, 2, 2);
        var x = Tensor.FromArray([1f, 9f, 4f, 6f, 2f, 8f], 2, 3);

        var results = ConversionHarness.ConvertAndRun(onnx, x, Tensor.FromArray([2L], 1));

        Assert.Equal([9f, 4f, 8f, 6f], results[0].As<float>());
        Assert.Equal([1L, 2L, 2L, 0L], results[1].As<long>());
    }

    [Fact]
    public void Hardmax_ArgMax_and_old_softmax_over_the_last_axis_work_on_inputs_of_unknown_rank()
    {
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Node("Hardmax", ["x"], ["hard"], Int("axis", -1))
            .Node("Softmax", ["x"], ["soft"], Int("axis", -1))
            .Node("ArgMax", ["x"], ["last"], Int("axis", -1), Int("select_last_index", 1), Int("keepdims", 0))
            .Output("hard", ElementType.F32, 2, 2).Output("soft", ElementType.F32, 2, 2).Output("last", ElementType.I64, 2);
        onnx.Graph.Input.Add(new ValueInfoProto
        {
            Name = "x",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(ElementType.F32) } },
        });
        var x = Tensor.FromArray([5f, 5f, 0f, (float)Math.Log(3)], 2, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, x);

        Assert.Equal([1f, 0f, 0f, 1f], results[0].As<float>());
        Assert.Equal([0.5f, 0.5f, 0.25f, 0.75f], results[1].As<float>().Select(v => MathF.Round(v, 5)));
        Assert.Equal([1L, 1L], results[2].As<long>());
    }

    [Fact]
    public void Softmax_axis_out_of_range_is_reported_with_the_node()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Node("Softmax", ["x"], ["y"], Int("axis", 2))
            .Output("y", ElementType.F32, 2, 3);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[6], 2, 3)));

        Assert.Contains("axis 2 is out of range", error.Message, StringComparison.Ordinal);
    }
}
