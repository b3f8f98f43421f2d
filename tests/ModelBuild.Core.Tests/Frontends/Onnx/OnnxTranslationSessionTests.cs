using Google.Protobuf;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.ConversionHarness;

namespace ModelBuild.Core.Tests.Frontends.Onnx;

/// <summary>What the translation of a whole model reports: unsupported operators, the node of a shape error, input overrides with no effect.</summary>
public sealed class OnnxTranslationSessionTests
{
    // x is used; unused is a declared input no node reads.
    private static readonly OnnxGraphBuilder Model = new OnnxGraphBuilder()
        .Input("x", ElementType.F32, 2).Input("unused", ElementType.F32, 2)
        .Node("Relu", ["x"], ["y"])
        .Output("y", ElementType.F32, 2);

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
    public void Freezing_an_input_nothing_uses_warns_MB9001_and_still_converts()
    {
        var result = Convert("unused->[1 2]");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCode.InputOverrideMatchesNothing, warning.Code);
        Assert.Contains("'unused'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Freezing_a_used_input_does_not_warn()
    {
        Assert.Empty(Convert("x->[1 2]").Warnings);
    }

    private static ConversionResult Convert(string inputSpec)
    {
        using var folder = new TempFolder();
        return ModelConverter.Convert(ConversionRequest.FromOvcOptions(
            Model.Save(folder.File("model.onnx")), folder.File("model.xml"), [inputSpec], [], compressToFp16: true));
    }
}
