using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>
/// nn.EmbeddingBag as PyTorch's exporter writes it without the ATen fallback (a Loop over the bags; see
/// EmbeddingBagLoop for the pattern), generated node for node by <see cref="EmbeddingBagLoopExport"/>: the exact pattern becomes one
/// EmbeddingBagOffsetsSum, anything else stays a Loop. Expected values are worked out by hand, and checked
/// against the same Loop kept as a Loop (an unused node in its body), run by the reference evaluator.
/// </summary>
public sealed class EmbeddingBagLoopTests
{
    private static readonly Tensor Indices = Tensor.FromArray([1L, 2L, 3L, 3L, 0L], 5);

    [Theory]
    [InlineData(11, false)]
    [InlineData(13, false)]
    [InlineData(13, true)]
    public void Sum_mode_becomes_one_embedding_bag_op_and_leaves_empty_bags_zero(long opset, bool slicedStarts)
    {
        var export = new EmbeddingBagLoopExport(opset, SlicedStarts: slicedStarts);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 2L, 2L], 3)];

        // Bags: {1, 2}, {}, {3, 3, 0}.
        AssertBecomesTheOp(export, inputs, [3f, 30f, 0f, 0f, 6f, 60f]);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Per_sample_weights_scale_each_row(long opset)
    {
        var export = new EmbeddingBagLoopExport(opset, Weights: true);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 1L, 1L], 3), Tensor.FromArray([2f, 0.5f, -1f, 1f, 3f], 5)];

        // Bags: {1·2}, {}, {2·0.5 + 3·(-1) + 3·1 + 0·3}.
        AssertBecomesTheOp(export, inputs, [2f, 20f, 0f, 0f, 1f, 10f]);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(18)]
    public void Mean_mode_divides_by_the_bag_length(long opset)
    {
        var export = new EmbeddingBagLoopExport(opset, Reduce: "ReduceMean");
        Tensor[] full = [Indices, Tensor.FromArray([0L, 2L, 3L], 3)];
        Tensor[] withEmpty = [Indices, Tensor.FromArray([0L, 2L, 2L], 3)];

        var emptyBag = ConversionHarness.ConvertAndRun(export.Build(bags: 3), withEmpty)[0];

        // Bags: {1, 2}, {3}, {3, 0}; then {1, 2}, {} (0, as PyTorch gives, where the Loop's ReduceMean of no rows is NaN), {3, 3, 0}.
        AssertBecomesTheOp(export, full, [1.5f, 15f, 3f, 30f, 1.5f, 15f]);
        Assert.Equal([1.5f, 15f, 0f, 0f, 2f, 20f], emptyBag.As<float>());
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(13, true)]
    public void Include_last_offset_takes_the_offsets_as_they_are(long opset, bool weights)
    {
        var export = new EmbeddingBagLoopExport(opset, Weights: weights, IncludeLastOffset: true);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 1L, 1L, 5L], 4), .. weights ? new[] { Tensor.FromArray([1f, 1f, 1f, 1f, 2f], 5) } : []];

        // Bags: {1}, {}, {2, 3, 3, 0}.
        AssertBecomesTheOp(export, inputs, [1f, 10f, 0f, 0f, 8f, 80f]);
    }

    [Theory]
    [InlineData(EmbeddingBagLoopDeviation.UnusedBodyNode, "ReduceSum")]
    [InlineData(EmbeddingBagLoopDeviation.TripCountFromInput, "ReduceSum")]
    [InlineData(EmbeddingBagLoopDeviation.None, "ReduceMax")]
    public void Anything_but_the_exact_pattern_stays_a_loop(EmbeddingBagLoopDeviation deviation, string reduce)
    {
        var export = new EmbeddingBagLoopExport(Reduce: reduce, Deviation: deviation);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 2L, 4L], 3), .. deviation == EmbeddingBagLoopDeviation.TripCountFromInput ? new[] { Tensor.FromArray([2L], []) } : []];

        var (ops, outputs) = ConversionHarness.ConvertAndRunWithOps(export.Build(bags: deviation == EmbeddingBagLoopDeviation.TripCountFromInput ? 2 : 3), inputs);

        Assert.Contains("Loop", ops);
        Assert.DoesNotContain("EmbeddingBagOffsetsSum", ops);
        // Bags: {1, 2}, {3, 3}, {0}; a trip count of 2 runs the first two only.
        float[] expected = reduce == "ReduceMax" ? [2f, 20f, 3f, 30f, 0f, 0f]
            : deviation == EmbeddingBagLoopDeviation.TripCountFromInput ? [3f, 30f, 6f, 60f]
            : [3f, 30f, 6f, 60f, 0f, 0f];
        Assert.Equal(expected, outputs[0].As<float>());
    }

    // Three bags: the IR has one EmbeddingBagOffsetsSum and no Loop, and computes the expected values, as the same export kept as a Loop does.
    private static void AssertBecomesTheOp(EmbeddingBagLoopExport export, Tensor[] inputs, float[] expected)
    {
        var (ops, outputs) = ConversionHarness.ConvertAndRunWithOps(export.Build(bags: 3), inputs);
        var (loopOps, loopOutputs) = ConversionHarness.ConvertAndRunWithOps((export with { Deviation = EmbeddingBagLoopDeviation.UnusedBodyNode }).Build(bags: 3), inputs);

        Assert.DoesNotContain("Loop", ops);
        Assert.Single(ops, op => op == "EmbeddingBagOffsetsSum");
        Assert.Equal(expected, outputs[0].As<float>());
        Assert.Contains("Loop", loopOps);
        Assert.Equal(expected, loopOutputs[0].As<float>());
    }
}
