using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Ir;

public sealed class IrProvenanceTests
{
    [Fact]
    public void IR_that_ModelBuild_wrote_is_recognised()
    {
        using var folder = new TempFolder();

        Assert.True(IrProvenance.IsWrittenByModelBuild(WriteIr(folder)));
    }

    [Fact]
    public void The_same_IR_with_another_tools_runtime_version_is_not()
    {
        using var folder = new TempFolder();
        var xml = WriteIr(folder);
        var text = File.ReadAllText(xml);
        Assert.Contains("<Runtime_version value=\"ModelBuild ", text, StringComparison.Ordinal);

        // What ovc writes: the OpenVINO release.
        File.WriteAllText(xml, text.Replace("<Runtime_version value=\"ModelBuild ", "<Runtime_version value=\"2024.0.0-14509-34caeefd078-releases/2024/0 ModelBuild ", StringComparison.Ordinal));

        Assert.False(IrProvenance.IsWrittenByModelBuild(xml));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<?xml version=\"1.0\"?>\n<Project><rt_info><Runtime_version value=\"ModelBuild 0.1.0\"/></rt_info></Project>")]
    [InlineData("<net name=\"m\" version=\"11\"><layers/><edges/></net>")]
    [InlineData("<net name=\"m\" version=\"11\"><layers><layer id=\"0\"><rt_info><Runtime_version value=\"ModelBuild 0.1.0\"/></rt_info></layer></layers><rt_info/></net>")]
    [InlineData("<net name=\"m\" version=\"11\"><layers/><rt_info><Runtime_version value=\"ModelBuild 0.1.0\"/>")]
    public void Files_that_are_not_ModelBuild_IR_are_not(string content)
    {
        using var folder = new TempFolder();
        var path = folder.File("other.xml");
        File.WriteAllText(path, content);

        Assert.False(IrProvenance.IsWrittenByModelBuild(path));
    }

    [Fact]
    public void A_missing_file_is_not()
    {
        using var folder = new TempFolder();

        Assert.False(IrProvenance.IsWrittenByModelBuild(folder.File("missing.xml")));
    }

    private static string WriteIr(TempFolder folder)
    {
        var model = new OnnxGraphBuilder().Input("x", ElementType.F32, 2).Node("Relu", ["x"], ["y"]).Output("y", ElementType.F32, 2);
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = model.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        return xml;
    }
}
