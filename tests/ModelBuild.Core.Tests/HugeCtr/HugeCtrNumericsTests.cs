using System.Globalization;
using ModelBuild.Core.Conversion;
using Xunit;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>
/// Every fixture with ONNX Runtime outputs, in both modes (keys: embeddings converted; dense_only: not):
/// the IR ModelBuild makes — straight and through its .onnx file — reproduces them on the sample inputs.
/// </summary>
public sealed class HugeCtrNumericsTests(ITestOutputHelper output)
{
    public static TheoryData<string, bool> WithExpectedOutputs() => new(HugeCtrFixture.WithExpectedOutputs().Select(c => (c.Name, c.ConvertEmbedding)));

    [Theory]
    [MemberData(nameof(WithExpectedOutputs))]
    public void Ir_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    [Theory]
    [MemberData(nameof(WithExpectedOutputs))]
    public void Onnx_file_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertThroughOnnxAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_conversion_lists_every_file_it_read(bool convertEmbedding)
    {
        // What the MSBuild task records so that a change to any of them converts the model again.
        var fixture = new HugeCtrFixture("dlrm");
        using var folder = new TempFolder();

        var result = ModelConverter.Convert(new ConversionRequest { InputPath = fixture.GraphConfig, HugeCtr = fixture.Options(convertEmbedding), OutputXmlPath = folder.File("dlrm.xml") });

        string[] sparse = convertEmbedding ? [Path.Combine(fixture.SparseModels[0], "key"), Path.Combine(fixture.SparseModels[0], "emb_vector")] : [];
        Assert.Equal(new[] { fixture.GraphConfig, fixture.DenseModel, fixture.NonTrainableParameters! }.Concat(sparse).Order(), result.SourceFiles.Order());
    }

    private void Report((double Absolute, double Relative) errors) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max abs error {errors.Absolute:G3}, max rel error {errors.Relative:G3}"));
}
