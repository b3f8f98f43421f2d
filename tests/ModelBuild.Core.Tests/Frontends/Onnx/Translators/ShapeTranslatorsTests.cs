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
}
