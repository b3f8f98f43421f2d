using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Onnx;

public sealed class OnnxModelWriterTests
{
    [Fact]
    public void Past_the_protobuf_limit_weights_go_to_external_data_and_the_model_still_converts()
    {
        var fixture = new HugeCtrFixture("wdl");
        using var folder = new TempFolder();
        var path = folder.File("wdl.onnx");
        using (var files = new MappedFileSet())
        {
            // A 4 KiB limit stands in for protobuf's 2 GiB: the 9.8 KB fc1 weight alone exceeds it.
            OnnxModelWriter.Write(HugeCtrFrontend.ToOnnx(fixture.GraphConfig, fixture.Options(true), files), path, protobufLimit: 4096);
        }

        Assert.True(new FileInfo(path).Length <= 4096);
        Assert.True(File.Exists(path + ".data"));
        var xml = folder.File("wdl.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = path, OutputXmlPath = xml, CompressToFp16 = false });
        HugeCtrHarness.AssertMatches(fixture.Expected(true), HugeCtrHarness.RunIr(xml, fixture.Samples(true)));
    }
}
