using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;
using Xunit;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// PyTorch's Loop exports of nn.EmbeddingBag (sum and mean, per-sample weights, include_last_offset), converted for the
/// runtime's release: the IR holds EmbeddingBagOffsetsSum and no Loop, loads in the real OpenVINO runtime and computes
/// what ONNX Runtime computes running the Loop itself.
/// </summary>
public sealed class EmbeddingBagLoopTests
{
    private static readonly Tensor Indices = Tensor.FromArray([1L, 2L, 3L, 3L, 0L], 5);

    private static readonly Tensor Weights = Tensor.FromArray([2f, 0.5f, -1f, 1f, 3f], 5);

    public static TheoryData<string, long, string, bool, bool, bool, long[]> Exports() => new()
    {
        // Bags {1, 2}, {} and {3, 3, 0}: an empty bag sums to zero.
        { "sum", 11, "ReduceSum", false, false, false, [0, 2, 2] },
        { "sum, starts read through a Slice", 13, "ReduceSum", false, false, true, [0, 2, 2] },
        { "per-sample weights", 11, "ReduceSum", true, false, false, [0, 1, 1] },
        { "per-sample weights", 13, "ReduceSum", true, false, false, [0, 3, 4] },
        // No empty bag in mean mode: the Loop's ReduceMean of no rows is NaN in ONNX Runtime, where PyTorch (and the op) give 0.
        { "mean", 11, "ReduceMean", false, false, false, [0, 2, 3] },
        { "mean", 18, "ReduceMean", false, false, false, [0, 1, 4] },
        { "include_last_offset", 11, "ReduceSum", false, true, false, [0, 1, 1, 5] },
        { "include_last_offset, per-sample weights", 13, "ReduceSum", true, true, false, [0, 2, 4, 5] },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public void Loop_export_becomes_EmbeddingBagOffsetsSum_and_computes_ONNX_Runtimes_outputs_in_OpenVINO(
        string mode, long opset, string reduce, bool weights, bool includeLastOffset, bool slicedStarts, long[] offsets)
    {
        var onnx = new EmbeddingBagLoopExport(opset, reduce, weights, includeLastOffset, slicedStarts).Build(bags: 3);
        List<(string Name, Tensor Value)> inputs = [("indices", Indices), ("offsets", Tensor.FromArray(offsets, offsets.Length))];
        if (weights)
        {
            inputs.Add(("weights", Weights));
        }

        using var work = new TempFolder();
        var xml = work.File("model.xml");
        ModelConverter.Convert(new ConversionRequest
        {
            InputPath = onnx.Save(work.File("model.onnx")), OutputXmlPath = xml, CompressToFp16 = false, Target = RuntimeRun.Target,
        });
        var ir = File.ReadAllText(xml);
        Assert.Contains("type=\"EmbeddingBagOffsetsSum\"", ir, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"Loop\"", ir, StringComparison.Ordinal);

        using var session = OpenVinoRuntime.Instance.Load(xml);
        var actual = session.Run(inputs.Select(i => i.Value).ToList())[0];

        var expected = OnnxRuntimeReference.Run(onnx, inputs)[0];
        var comparison = TensorComparison.Compare(actual, expected, relativeTolerance: 1e-6, absoluteTolerance: 1e-6);
        Assert.True(comparison.Matches, $"{mode}, opset {opset}: {comparison.Mismatch}");
    }
}
