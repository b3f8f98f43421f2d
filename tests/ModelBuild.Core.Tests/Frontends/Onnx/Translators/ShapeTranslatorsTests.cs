using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>Shape forms the ONNX backend tests do not reach.</summary>
public sealed class ShapeTranslatorsTests
{
    [Fact]
    public void Shape_start_and_end_work_on_inputs_of_unknown_rank()
    {
        var onnx = new OnnxGraphBuilder(opset: 15)
            .Node("Shape", ["x"], ["y"], OnnxGraphBuilder.Int("start", 1), OnnxGraphBuilder.Int("end", -1))
            .Output("y", ElementType.I64, 2);
        onnx.Graph.Input.Add(new ValueInfoProto
        {
            Name = "x",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(ElementType.F32) } },
        });

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[120], 2, 3, 4, 5))[0];

        Assert.Equal([3L, 4L], y.As<long>());
    }

    /// <summary>
    /// Found by the differential suite: an empty axes input squeezes every size-1 axis, as ONNX Runtime does and as the
    /// real OpenVINO runtime does with the IR (the reference evaluator squeezed none).
    /// </summary>
    [Fact]
    public void Squeeze_with_an_empty_axes_input_removes_every_size_one_axis()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 1, 3, 1, 2)
            .Initializer("axes", Tensor.FromInt64s(ElementType.I64, [], [0]))
            .Node("Squeeze", ["x", "axes"], ["y"])
            .Output("y", ElementType.F32, 3, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 1, 3, 1, 2))[0];

        Assert.Equal([3L, 2L], y.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], y.As<float>());
    }

    /// <summary>Found by the differential suite: with an empty dim, Flatten gave [1,0] instead of [0,8] (the 0 was taken for "copy").</summary>
    [Theory]
    [InlineData(new long[] { 1, 3, 0, 4, 2 }, -2, new long[] { 0, 8 })]
    [InlineData(new long[] { 0 }, 1, new long[] { 0, 1 })]
    [InlineData(new long[] { 2, 0, 3 }, 1, new long[] { 2, 0 })]
    public void Flatten_keeps_empty_dims_where_they_fall(long[] shape, long axis, long[] expected)
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, shape)
            .Node("Flatten", ["x"], ["y"], OnnxGraphBuilder.Int("axis", axis))
            .Output("y", ElementType.F32, expected);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.Zeros(ElementType.F32, shape))[0];

        Assert.Equal(expected, y.Shape);
    }
}
