using System.Text.RegularExpressions;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// Zero-sized dimensions in a model's inputs for a release before 2024.0, in the real runtime: that it refuses them at
/// load (why ModelBuild leaves an unused one out and refuses a used one), and that the remedy MB2009 suggests for a used
/// input — the dimension declared dynamic — loads and computes the expected outputs.
/// </summary>
public sealed class ZeroDimensionTests
{
    [Fact]
    public void The_runtime_refuses_an_unused_zero_sized_input_that_a_target_from_2024_0_keeps()
    {
        var fixture = new HugeCtrFixture("din");
        using var work = new TempFolder();
        var xml = work.File("model.xml");
        var result = ModelConverter.Convert(new ConversionRequest
        {
            InputPath = fixture.GraphConfig, HugeCtr = fixture.Options(convertEmbedding: true), OutputXmlPath = xml, CompressToFp16 = false,
            Target = OpenVinoReleases.FirstTakingZeroDimensions,
        });

        Assert.Empty(result.Warnings);
        var refused = Assert.Throws<IrRunException>(() => OpenVinoRuntime.Instance.Load(xml));
        Assert.Equal(VerificationOutcome.LoadFailed, refused.Outcome);
        Assert.Contains("dense has zero dimension which is not allowed", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test_reshape_allowzero_reordered", VerificationOutcome.Matched)]
    [InlineData("test_triu_zero", VerificationOutcome.Matched)]
    // Limits of this runtime once the IR loads: its legacy preprocessing cannot bind the 1-D zero-sized input ('Preprocessing
    // is not applicable', README known limit), and ovrun aborts on the [3,0,5] Trilu decomposition ('free(): invalid pointer').
    [InlineData("test_split_zero_size_splits", VerificationOutcome.RunFailed)]
    [InlineData("test_tril_zero", VerificationOutcome.RunFailed)]
    public void A_used_zero_sized_input_declared_dynamic_as_MB2009_suggests_loads_in_OpenVINO(string test, VerificationOutcome expected)
    {
        var folder = BackendTestSuites.Folder(RuntimeRun.Suite, test);
        using var work = new TempFolder();
        var refused = Assert.Throws<ModelBuildException>(() => ModelConverter.Convert(new ConversionRequest
        {
            InputPath = Path.Combine(folder, "model.onnx"), OutputXmlPath = work.File("refused.xml"), Target = RuntimeRun.Target,
        }));
        Assert.Equal(DiagnosticCode.ZeroDimensionUnavailableInTarget, refused.Code);
        var suggested = Regex.Match(refused.Message, "--input \"([^\"]+)\"");
        Assert.True(suggested.Success, $"MB2009 suggests no --input: {refused.Message}");
        ConversionRequest Suggested(ConversionRequest request) =>
            request with { Frontend = new FrontendOptions { Inputs = InputSpecParser.Parse(suggested.Groups[1].Value) }, Target = RuntimeRun.Target };

        var inRuntime = BackendTestVerifier.Verify(folder, work.Path, _ => Tolerance.Default, Suggested, OpenVinoRuntime.Instance);
        var inReferenceEvaluator = BackendTestVerifier.Verify(folder, work.Path, _ => Tolerance.Default, Suggested);

        Assert.True(inRuntime.Outcome == expected, $"expected {expected}, got {RuntimeExpectations.KindOf(inRuntime.Outcome)}: {inRuntime.Failure}");
        Assert.True(inReferenceEvaluator.Passed, $"the reference evaluator: {inReferenceEvaluator.Failure}");
    }
}
