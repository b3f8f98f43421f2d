using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Onnx;

public sealed class ExternalDataTests
{
    private static readonly Tensor First = Tensor.FromArray([1f, 2f, 3f], 3);

    private static readonly Tensor Second = Tensor.FromArray([10f, 20f, 30f], 3);

    [Theory]
    [InlineData("weights.bin", "weights.bin")]
    [InlineData("a.bin", "b.bin")]
    [InlineData("data/a.bin", "data/deeper/b.bin")]
    public void Layouts_one_file_per_tensor_shared_files_and_subfolders_convert(string firstFile, string secondFile)
    {
        using var folder = new TempFolder();
        var onnx = TwoWeightModel(folder, firstFile, secondFile);

        var y = ConvertAndRun(folder, onnx, Tensor.FromArray([100f, 100f, 100f], 3));

        Assert.Equal([111f, 122f, 133f], y.As<float>());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.bin")]
    [InlineData("data/../../outside.bin")]
    [InlineData("..\\outside.bin")]
    public void Locations_outside_the_model_folder_are_refused(string location)
    {
        using var folder = new TempFolder();
        var onnx = OneWeightModel(folder, "weights.bin");
        SetLocation(onnx, location);

        var error = ConvertExpectingFailure(folder, onnx);

        Assert.Equal(DiagnosticCode.ExternalDataLocationRefused, error.Code);
        Assert.Contains("w", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_that_leads_outside_the_model_folder_is_refused()
    {
        using var outside = new TempFolder();
        using var folder = new TempFolder();
        var secret = Path.Combine(outside.Path, "secret.bin");
        File.WriteAllBytes(secret, new byte[12]);
        File.CreateSymbolicLink(folder.File("weights.bin"), secret);
        var onnx = OneWeightModel(folder, "ignored.bin");
        SetLocation(onnx, "weights.bin");

        var error = ConvertExpectingFailure(folder, onnx);

        Assert.Equal(DiagnosticCode.ExternalDataLocationRefused, error.Code);
    }

    [Fact]
    public void A_symbolic_link_inside_the_model_folder_is_followed()
    {
        using var folder = new TempFolder();
        var onnx = OneWeightModel(folder, "real/weights.bin");
        File.CreateSymbolicLink(folder.File("linked"), folder.File("real"));
        SetLocation(onnx, "linked/weights.bin");

        var y = ConvertAndRun(folder, onnx, Tensor.FromArray([0f, 0f, 0f], 3));

        Assert.Equal(First.As<float>(), y.As<float>());
    }

    [Fact]
    public void A_missing_data_file_is_an_error_naming_the_tensor()
    {
        using var folder = new TempFolder();
        var onnx = OneWeightModel(folder, "weights.bin");
        File.Delete(folder.File("weights.bin"));

        var error = ConvertExpectingFailure(folder, onnx);

        Assert.Equal(DiagnosticCode.ExternalDataFileMissing, error.Code);
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offset", "8")]
    [InlineData("length", "13")]
    [InlineData("offset", "100")]
    public void Reads_past_the_end_of_the_data_file_are_errors(string key, string value)
    {
        using var folder = new TempFolder();
        var onnx = OneWeightModel(folder, "weights.bin");
        onnx.Graph.Initializer[0].ExternalData.Single(e => e.Key == key).Value = value;

        var error = ConvertExpectingFailure(folder, onnx);

        Assert.Equal(DiagnosticCode.ExternalDataOutOfRange, error.Code);
    }

    private static OnnxGraphBuilder OneWeightModel(TempFolder folder, string file) =>
        new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 3)
            .ExternalInitializer("w", First, folder.Path, file)
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", ElementType.F32, 3);

    private static OnnxGraphBuilder TwoWeightModel(TempFolder folder, string firstFile, string secondFile) =>
        new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 3)
            .ExternalInitializer("w1", First, folder.Path, firstFile)
            .ExternalInitializer("w2", Second, folder.Path, secondFile)
            .Node("Add", ["x", "w1"], ["t"])
            .Node("Add", ["t", "w2"], ["y"])
            .Output("y", ElementType.F32, 3);

    private static void SetLocation(OnnxGraphBuilder onnx, string location) =>
        onnx.Graph.Initializer[0].ExternalData.Single(e => e.Key == "location").Value = location;

    private static Tensor ConvertAndRun(TempFolder folder, OnnxGraphBuilder onnx, Tensor input)
    {
        var xml = folder.File("out/model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false });
        using var files = new MappedFileSet();
        return ReferenceEvaluator.Run(IrReader.Read(xml, files), [input])[0];
    }

    private static ModelBuildException ConvertExpectingFailure(TempFolder folder, OnnxGraphBuilder onnx)
    {
        var xml = folder.File("out/model.xml");
        var error = Assert.Throws<ModelBuildException>(() =>
            ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml }));
        Assert.Equal(folder.File("model.onnx"), error.File);
        Assert.False(Directory.Exists(folder.File("out")) && Directory.EnumerateFileSystemEntries(folder.File("out")).Any(), "no output may be left behind");
        return error;
    }
}
