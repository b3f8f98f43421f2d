using Google.Protobuf;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests;

public sealed class ConversionFailureTests
{
    [Fact]
    public void Every_unsupported_operator_is_reported_once_with_its_nodes()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2)
            .Node("NoSuchOp", ["x"], ["a"])
            .Node("AnotherMissingOp", ["a"], ["b"])
            .Node("NoSuchOp", ["b"], ["y"])
            .Output("y", ElementType.F32, 2);

        var error = ConvertExpectingFailure(onnx.Model.ToByteArray());

        Assert.Equal(DiagnosticCode.UnsupportedOperators, error.Code);
        Assert.Contains("NoSuchOp (nodes: NoSuchOp_0, NoSuchOp_2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("AnotherMissingOp (nodes: AnotherMissingOp_1)", error.Message, StringComparison.Ordinal);
    }

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

    [Fact]
    public void A_shape_error_names_the_node()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("a", ElementType.F32, 2, 3).Input("b", ElementType.F32, 4)
            .Node("Add", ["a", "b"], ["y"])
            .Output("y", ElementType.F32, 2, 3);

        var error = ConvertExpectingFailure(onnx.Model.ToByteArray());

        Assert.Equal(DiagnosticCode.ShapeInferenceFailed, error.Code);
        Assert.Equal("Add_0", error.NodeName);
    }

    [Fact]
    public void A_failed_conversion_keeps_an_earlier_good_ir_untouched_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        var good = new OnnxGraphBuilder().Input("x", ElementType.F32, 2).Node("Relu", ["x"], ["y"]).Output("y", ElementType.F32, 2);
        ModelConverter.Convert(new ConversionRequest { InputPath = good.Save(folder.File("good.onnx")), OutputXmlPath = xml });
        var before = File.ReadAllBytes(xml);
        File.WriteAllBytes(folder.File("bad.onnx"), [1, 2, 3]);

        Assert.Throws<ModelBuildException>(() => ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("bad.onnx"), OutputXmlPath = xml }));

        Assert.Equal(before, File.ReadAllBytes(xml));
        Assert.Equal(new[] { "good.onnx", "bad.onnx", "model.bin", "model.xml" }.Order(), Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Converting_the_same_model_twice_gives_identical_bytes()
    {
        using var folder = new TempFolder();
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 4)
            .Initializer("w", Tensor.FromArray([0.5f, -1f, 2f, 1e6f], 4))
            .Initializer("same", Tensor.FromArray([0.5f, -1f, 2f, 1e6f], 4))
            .Node("Mul", ["x", "w"], ["t"])
            .Node("Add", ["t", "same"], ["y"])
            .Output("y", ElementType.F32, 4)
            .Save(folder.File("model.onnx"));

        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = folder.File("first.xml") });
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = folder.File("second.xml") });

        Assert.Equal(File.ReadAllBytes(folder.File("first.xml")), File.ReadAllBytes(folder.File("second.xml")));
        Assert.Equal(File.ReadAllBytes(folder.File("first.bin")), File.ReadAllBytes(folder.File("second.bin")));

        // The two identical weights are stored once: 4 f16 values = 8 bytes.
        Assert.Equal(8, new FileInfo(folder.File("first.bin")).Length);
    }

    private static ModelBuildException ConvertExpectingFailure(byte[] model)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("model.onnx"), model);
        var error = Assert.Throws<ModelBuildException>(() =>
            ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("model.onnx"), OutputXmlPath = folder.File("model.xml") }));
        Assert.Equal(["model.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        return error;
    }
}
