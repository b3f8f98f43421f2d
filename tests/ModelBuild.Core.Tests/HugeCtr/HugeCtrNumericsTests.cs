using System.Globalization;
using Xunit;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>
/// Every fixture with ONNX Runtime outputs, in both modes (keys: embeddings converted; dense_only: not):
/// the IR ModelBuild makes — straight and through its .onnx file — reproduces them on the sample inputs.
/// </summary>
public sealed class HugeCtrNumericsTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(HugeCtrFixture.WithExpectedOutputs), MemberType = typeof(HugeCtrFixture))]
    public void Ir_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    [Theory]
    [MemberData(nameof(HugeCtrFixture.WithExpectedOutputs), MemberType = typeof(HugeCtrFixture))]
    public void Onnx_file_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertThroughOnnxAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    private void Report((double Absolute, double Relative) errors) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max abs error {errors.Absolute:G3}, max rel error {errors.Relative:G3}"));
}
