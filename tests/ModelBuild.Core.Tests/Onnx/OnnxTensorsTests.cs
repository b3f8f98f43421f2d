using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using Xunit;

namespace ModelBuild.Core.Tests.Onnx;

public sealed class OnnxTensorsTests
{
    [Theory]
    [InlineData(new long[] { 1L << 40, 1L << 40 })]
    [InlineData(new long[] { long.MaxValue, 2 })]
    public void Dims_whose_element_count_overflows_are_a_malformed_model(long[] dims)
    {
        var tensor = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims } };

        var error = Assert.Throws<ModelBuildException>(() => OnnxTensors.Shape(tensor));

        Assert.Equal(DiagnosticCode.MalformedModel, error.Code);
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dims_of_an_empty_tensor_may_be_huge_when_one_is_zero() =>
        Assert.Equal([0, long.MaxValue], OnnxTensors.Shape(new TensorProto { Name = "e", Dims = { 0, long.MaxValue } }));
}
