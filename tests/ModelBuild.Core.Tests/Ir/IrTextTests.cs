using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Weights;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Ir;

/// <summary>Names with characters XML 1.0 cannot carry: written as character references (read back exactly), or refused.</summary>
public sealed class IrTextTests
{
    [Fact]
    public void A_control_character_in_a_name_is_written_as_a_character_reference_and_read_back_exactly()
    {
        using var folder = new TempFolder();
        var xml = Convert(folder, "in\u0018put");

        Assert.Contains("in&#x18;put", File.ReadAllText(xml), StringComparison.Ordinal);
        using var files = new MappedFileSet();
        var model = IrReader.Read(xml, files);
        Assert.Contains("in\u0018put", model.Parameters[0].Outputs[0].Names);
        Assert.Equal("in\u0018put", model.Parameters[0].Name);
    }

    [Fact]
    public void A_nul_in_an_onnx_name_is_refused_naming_the_node_and_leaves_no_output()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ModelBuildException>(() => Convert(folder, "a\u0000b"));

        Assert.Equal(DiagnosticCode.UnwritableText, error.Code);
        Assert.Contains("U+0000", error.Message, StringComparison.Ordinal);
        Assert.Equal("a\u0000b", error.NodeName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.File("out")));
    }

    [Fact]
    public void An_unpaired_surrogate_in_a_tensor_name_is_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var parameter = Node.CreateParameter(ElementType.F32, PartialShape.Static(2), "x");
        parameter.Outputs[0].Names.Add("x\uD800");
        var model = new Model("m", [parameter], [Node.CreateResult(parameter.Output())]);

        var error = Assert.Throws<ModelBuildException>(() => IrWriter.Write(model, folder.File("m.xml"), folder.File("m.bin")));

        Assert.Equal(DiagnosticCode.UnwritableText, error.Code);
        Assert.Contains("U+D800", error.Message, StringComparison.Ordinal);
        Assert.Equal("x", error.NodeName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("plain", null)]
    [InlineData("\u0018\t\uFFFE", null)]
    [InlineData("emoji \U0001F600", null)]
    [InlineData("x\u0000", "U+0000")]
    public void Unwritable_characters_are_nul_and_unpaired_surrogates(string text, string? expected) =>
        Assert.Equal(expected, IrText.FindUnwritable(text));

    // Unpaired surrogates do not survive test-case serialization, so these are built here.
    [Fact]
    public void Unpaired_surrogates_are_unwritable_wherever_they_are()
    {
        Assert.Equal("an unpaired surrogate U+DC00", IrText.FindUnwritable(new string([(char)0xDC00])));
        Assert.Equal("an unpaired surrogate U+D83D", IrText.FindUnwritable(new string(['a', (char)0xD83D])));
        Assert.Equal("an unpaired surrogate U+D83D", IrText.FindUnwritable(new string([(char)0xD83D, 'b'])));
    }

    private static string Convert(TempFolder folder, string inputName)
    {
        var model = new OnnxGraphBuilder()
            .Input(inputName, ElementType.F32, 2)
            .Node("Relu", [inputName], ["y"])
            .Output("y", ElementType.F32, 2);
        Directory.CreateDirectory(folder.File("out"));
        var xml = folder.File("out/model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = model.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        return xml;
    }
}
