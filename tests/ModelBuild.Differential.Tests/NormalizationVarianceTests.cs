using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using ModelBuild.OnnxRuntime;
using Xunit;

namespace ModelBuild.Differential.Tests;

/// <summary>
/// Which side is wrong in the listed GroupNormalization mismatch: ONNX Runtime runs ONNX's function body, whose
/// variance is E[x²] − E[x]² in float32, while our evaluator averages (x − mean)² as ONNX's reference implementation and
/// OpenVINO's specification do. On two close values the one-pass form cancels; the test computes both forms here,
/// independently of either implementation.
/// </summary>
public sealed class NormalizationVarianceTests
{
    // Two values 2^-7 apart near 1000: their squares differ far below float32's resolution at 10^6 (0.0625).
    private static readonly float[] CloseValues = [1000f, 1000.0078125f];

    private const float Epsilon = 1e-5f;

    [Fact]
    public void GroupNormalization_ONNX_Runtime_gives_the_float32_one_pass_value_and_our_evaluator_the_exact_one()
    {
        var builder = new CaseBuilder(new Random(0), "GroupNormalization", opset: 21);
        var x = builder.Input(Tensor.FromArray(CloseValues, 1, 2, 1));
        var scale = builder.Constant(Tensor.FromArray(new[] { 1f, 1f }, 2));
        var bias = builder.Constant(Tensor.FromArray(new[] { 0f, 0f }, 2));
        builder.Output(builder.Node1("GroupNormalization", [x, scale, bias], ElementType.F32,
            OnnxGraphBuilder.Int("num_groups", 1), OnnxGraphBuilder.Float("epsilon", Epsilon)));

        var (onnxRuntime, ours) = RunBoth(builder.Build());

        AssertClose(OnePassFloat32(CloseValues), onnxRuntime, tolerance: 1e-4);
        AssertClose(Exact(CloseValues), ours, tolerance: 1e-5);
        Assert.True(Math.Abs(onnxRuntime[0] - ours[0]) > 0.1, $"ONNX Runtime {onnxRuntime[0]}, ours {ours[0]}: the cancellation no longer shows.");
    }

    // E[x²] − E[x]² with every step rounded to float32, as ONNX's function body runs in ONNX Runtime.
    private static double[] OnePassFloat32(float[] x)
    {
        var mean = (x[0] + x[1]) / 2f;
        var meanOfSquares = ((x[0] * x[0]) + (x[1] * x[1])) / 2f;
        var deviation = MathF.Sqrt(meanOfSquares - (mean * mean) + Epsilon);
        return [.. x.Select(v => (double)((v - mean) / deviation))];
    }

    // The mean of (x − mean)² in double precision.
    private static double[] Exact(float[] x)
    {
        var mean = x.Average(v => (double)v);
        var variance = x.Average(v => ((double)v - mean) * ((double)v - mean));
        return [.. x.Select(v => (v - mean) / Math.Sqrt(variance + Epsilon))];
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: {actual[i]}, expected {expected[i]}");
        }
    }

    private static (float[] OnnxRuntime, float[] Ours) RunBoth(DifferentialCase generated)
    {
        using var work = new TempFolder();
        var onnx = work.File("model.onnx");
        var xml = work.File("model.xml");
        File.WriteAllBytes(onnx, generated.Model);
        var output = generated.Outputs[0];
        using var session = new OnnxRuntimeRunner(threads: 1).Load(onnx);
        var expected = session.Run(generated.Inputs, generated.Outputs)[output];
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = xml, CompressToFp16 = false });
        using var ir = ReferenceIrRunner.Instance.Load(xml);
        return (expected.As<float>(), ir.RunByName(generated.Inputs)[output].As<float>());
    }
}
