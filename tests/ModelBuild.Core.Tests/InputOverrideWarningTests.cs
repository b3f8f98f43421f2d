using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests;

public sealed class InputOverrideWarningTests
{
    // x is used; unused is a declared input no node reads.
    private static readonly OnnxGraphBuilder Model = new OnnxGraphBuilder()
        .Input("x", ElementType.F32, 2).Input("unused", ElementType.F32, 2)
        .Node("Relu", ["x"], ["y"])
        .Output("y", ElementType.F32, 2);

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
