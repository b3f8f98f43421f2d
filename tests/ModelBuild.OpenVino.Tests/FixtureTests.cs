using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// The reference workloads in the real OpenVINO runtime: the DLRM and RNN-T fixtures and every HugeCTR fixture with
/// ONNX Runtime outputs, converted for the runtime's release with FP32 weights, loaded, run on the fixtures' inputs and compared with ONNX
/// Runtime's outputs (the fixtures' README: rtol 1e-4, atol 1e-5).
/// </summary>
public sealed class FixtureTests
{
    private static readonly Tolerance FixtureTolerance = SharedFolders.FixtureTolerance;

    public static TheoryData<string> OnnxWorkloads() => new(SharedFolders.OnnxWorkloads);

    public static TheoryData<string, bool> HugeCtrCases() => new(HugeCtrFixture.WithExpectedOutputs().Select(c => (c.Name, c.ConvertEmbedding)));

    [Theory]
    [MemberData(nameof(OnnxWorkloads))]
    public void Onnx_fixture_computes_the_onnx_runtime_outputs_in_OpenVINO(string fixture)
    {
        using var work = new TempFolder();

        var result = BackendTestVerifier.Verify(SharedFolders.Fixture(fixture), work.Path, _ => FixtureTolerance, request => request with { Target = RuntimeRun.Target }, OpenVinoRuntime.Instance);

        Assert.True(result.Passed, $"{RuntimeExpectations.KindOf(result.Outcome)}: {result.Failure}");
        Assert.True(result.DataSets >= 2, $"{fixture} has {result.DataSets} data set(s), the fixtures hold two");
    }

    /// <summary>The RNN-T guide's encoder conversion: input.1 pinned to [157, 1, 240], the length frozen to 157; verified on the data set of that length.</summary>
    [Fact]
    public void Rnnt_encoder_with_pinned_input_and_frozen_length_computes_the_onnx_runtime_outputs_in_OpenVINO()
    {
        using var work = new TempFolder();
        var encoder = PinnedRnntEncoder.In(work.Path);

        var result = BackendTestVerifier.Verify(encoder.Folder, work.Path, _ => FixtureTolerance,
            request => request with { Frontend = encoder.Options, Target = RuntimeRun.Target }, OpenVinoRuntime.Instance);

        Assert.True(result.Passed, $"{RuntimeExpectations.KindOf(result.Outcome)}: {result.Failure}");
        Assert.Equal(1, result.DataSets);
    }

    [Theory]
    [MemberData(nameof(HugeCtrCases))]
    public void HugeCtr_fixture_computes_the_onnx_runtime_outputs_in_OpenVINO(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        using var work = new TempFolder();
        var xml = work.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = fixture.GraphConfig, HugeCtr = fixture.Options(convertEmbedding), OutputXmlPath = xml, CompressToFp16 = false, Target = RuntimeRun.Target });

        using var session = OpenVinoRuntime.Instance.Load(xml);
        var actual = session.RunByName(fixture.Samples(convertEmbedding));

        foreach (var (output, expected) in fixture.Expected(convertEmbedding))
        {
            Assert.True(actual.ContainsKey(output), $"no output '{output}'; the model has {string.Join(", ", actual.Keys)}");
            var comparison = TensorComparison.Compare(actual[output], expected, FixtureTolerance.Relative, FixtureTolerance.Absolute);
            Assert.True(comparison.Matches, $"output '{output}': {comparison.Mismatch}");
        }
    }
}
