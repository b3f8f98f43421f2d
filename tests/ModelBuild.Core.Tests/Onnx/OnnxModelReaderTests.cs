using Google.Protobuf;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.ConversionHarness;

namespace ModelBuild.Core.Tests.Onnx;

/// <summary>Files that are not ONNX models are a clear error, and the conversion leaves nothing behind.</summary>
public sealed class OnnxModelReaderTests
{
    [Fact]
    public void Bytes_that_are_not_a_protobuf_are_a_clear_error()
    {
        var error = ConvertExpectingFailure("this is not an onnx model"u8.ToArray());

        Assert.Equal(DiagnosticCode.MalformedModel, error.Code);
    }

    [Fact]
    public void A_truncated_model_is_a_clear_error()
    {
        var bytes = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 64)
            .Initializer("w", Tensor.FromArray(new float[64], 64))
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", ElementType.F32, 64)
            .Model.ToByteArray();

        var error = ConvertExpectingFailure(bytes[..(bytes.Length * 2 / 3)]);

        Assert.Equal(DiagnosticCode.MalformedModel, error.Code);
    }

    [Fact]
    public void An_empty_file_is_not_a_model()
    {
        var error = ConvertExpectingFailure([]);

        Assert.Equal(DiagnosticCode.MalformedModel, error.Code);
    }
}
