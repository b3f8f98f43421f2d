using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>
/// nn.EmbeddingBag as PyTorch's exporter writes it without the ATen fallback (a Loop over the bags; see
/// EmbeddingBagLoop for the pattern), generated here node for node: the exact pattern becomes one
/// EmbeddingBagOffsetsSum, anything else stays a Loop. Expected values are worked out by hand, and checked
/// against the same Loop kept as a Loop (an unused node in its body), run by the reference evaluator.
/// </summary>
public sealed class EmbeddingBagLoopTests
{
    // Rows r = [r, 10·r].
    private static readonly Tensor Table = Tensor.FromArray([0f, 0f, 1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f], 5, 2);

    private static readonly Tensor Indices = Tensor.FromArray([1L, 2L, 3L, 3L, 0L], 5);

    public enum Deviation
    {
        None,

        /// <summary>The body holds one more node, unused: the same values, but not the exporter's Loop.</summary>
        UnusedBodyNode,

        /// <summary>The trip count is a model input rather than the number of bags.</summary>
        TripCountFromInput,
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(13, false)]
    [InlineData(13, true)]
    public void Sum_mode_becomes_one_embedding_bag_op_and_leaves_empty_bags_zero(long opset, bool slicedStarts)
    {
        var export = new Export(opset, SlicedStarts: slicedStarts);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 2L, 2L], 3)];

        // Bags: {1, 2}, {}, {3, 3, 0}.
        AssertBecomesTheOp(export, inputs, [3f, 30f, 0f, 0f, 6f, 60f]);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Per_sample_weights_scale_each_row(long opset)
    {
        var export = new Export(opset, Weights: true);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 1L, 1L], 3), Tensor.FromArray([2f, 0.5f, -1f, 1f, 3f], 5)];

        // Bags: {1·2}, {}, {2·0.5 + 3·(-1) + 3·1 + 0·3}.
        AssertBecomesTheOp(export, inputs, [2f, 20f, 0f, 0f, 1f, 10f]);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(18)]
    public void Mean_mode_divides_by_the_bag_length(long opset)
    {
        var export = new Export(opset, Reduce: "ReduceMean");
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
        var export = new Export(opset, Weights: weights, IncludeLastOffset: true);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 1L, 1L, 5L], 4), .. weights ? new[] { Tensor.FromArray([1f, 1f, 1f, 1f, 2f], 5) } : []];

        // Bags: {1}, {}, {2, 3, 3, 0}.
        AssertBecomesTheOp(export, inputs, [1f, 10f, 0f, 0f, 8f, 80f]);
    }

    [Theory]
    [InlineData(Deviation.UnusedBodyNode, "ReduceSum")]
    [InlineData(Deviation.TripCountFromInput, "ReduceSum")]
    [InlineData(Deviation.None, "ReduceMax")]
    public void Anything_but_the_exact_pattern_stays_a_loop(Deviation deviation, string reduce)
    {
        var export = new Export(Reduce: reduce, Deviation: deviation);
        Tensor[] inputs = [Indices, Tensor.FromArray([0L, 2L, 4L], 3), .. deviation == Deviation.TripCountFromInput ? new[] { Tensor.FromArray([2L], []) } : []];

        var (ops, outputs) = ConversionHarness.ConvertAndRunWithOps(export.Build(bags: deviation == Deviation.TripCountFromInput ? 2 : 3), inputs);

        Assert.Contains("Loop", ops);
        Assert.DoesNotContain("EmbeddingBagOffsetsSum", ops);
        // Bags: {1, 2}, {3, 3}, {0}; a trip count of 2 runs the first two only.
        float[] expected = reduce == "ReduceMax" ? [2f, 20f, 3f, 30f, 0f, 0f]
            : deviation == Deviation.TripCountFromInput ? [3f, 30f, 6f, 60f]
            : [3f, 30f, 6f, 60f, 0f, 0f];
        Assert.Equal(expected, outputs[0].As<float>());
    }

    // Three bags: the IR has one EmbeddingBagOffsetsSum and no Loop, and computes the expected values, as the same export kept as a Loop does.
    private static void AssertBecomesTheOp(Export export, Tensor[] inputs, float[] expected)
    {
        var (ops, outputs) = ConversionHarness.ConvertAndRunWithOps(export.Build(bags: 3), inputs);
        var (loopOps, loopOutputs) = ConversionHarness.ConvertAndRunWithOps((export with { Deviation = Deviation.UnusedBodyNode }).Build(bags: 3), inputs);

        Assert.DoesNotContain("Loop", ops);
        Assert.Single(ops, op => op == "EmbeddingBagOffsetsSum");
        Assert.Equal(expected, outputs[0].As<float>());
        Assert.Contains("Loop", loopOps);
        Assert.Equal(expected, loopOutputs[0].As<float>());
    }

    /// <summary>What torch.onnx writes for nn.EmbeddingBag(5, 2, mode) called with 1-D indices and offsets.</summary>
    private sealed record Export(long Opset = 11, string Reduce = "ReduceSum", bool Weights = false, bool IncludeLastOffset = false,
        bool SlicedStarts = false, Deviation Deviation = Deviation.None)
    {
        // Unsqueeze takes its axes as an input from opset 13, ReduceSum from 13, ReduceMean and ReduceMax from 18.
        private bool AxesAsInput(string op) => Opset >= (op is "Unsqueeze" or "ReduceSum" ? 13 : 18);

        public OnnxGraphBuilder Build(int bags)
        {
            // Offsets with the number of indices appended (as given, with include_last_offset); the bags start at
            // its entries (read through a Slice from 0 to the end by some exporter versions) and end at the next.
            var extended = IncludeLastOffset ? "offsets" : "extended";
            var starts = SlicedStarts ? "starts" : extended;
            var body = new OnnxGraphBuilder(Opset, "body").Input("i", ElementType.I64).Input("cond_in", ElementType.Boolean)
                .Node("Gather", [starts, "i"], ["start"], Int("axis", 0))
                .Node("Gather", ["ends", "i"], ["end"], Int("axis", 0));
            AxesNode(body, "Unsqueeze", "start", "start_1", [], 0);
            AxesNode(body, "Unsqueeze", "end", "end_1", [], 0);
            body.Node("Slice", ["indices", "start_1", "end_1", "zeros"], ["bag_indices"])
                .Node("Gather", ["table", "bag_indices"], ["rows"], Int("axis", 0));
            var rows = "rows";
            if (Weights)
            {
                body.Node("Slice", ["weights", "start_1", "end_1", "zeros"], ["bag_weights"]);
                AxesNode(body, "Unsqueeze", "bag_weights", "bag_weights_1", [], 1);
                body.Node("Mul", ["rows", "bag_weights_1"], ["weighted"]);
                rows = "weighted";
            }

            AxesNode(body, Reduce, rows, "bag", [Int("keepdims", 0)], 0);
            body.Node("Cast", ["true"], ["cond_out"], Int("to", 9));
            if (Deviation == Deviation.UnusedBodyNode)
            {
                body.Node("Identity", ["rows"], ["unused"]);
            }

            body.Output("cond_out", ElementType.Boolean).Output("bag", ElementType.F32, 2);

            var onnx = new OnnxGraphBuilder(Opset)
                .DynamicInput("indices", ElementType.I64, -1).DynamicInput("offsets", ElementType.I64, -1);
            if (Weights)
            {
                onnx.DynamicInput("weights", ElementType.F32, -1);
            }

            onnx.Initializer("table", Table).Initializer("zero", Tensor.FromArray([0L], [])).Initializer("zeros", Tensor.FromArray([0L], 1))
                .Initializer("ones", Tensor.FromArray([1L], 1)).Initializer("to_the_end", Tensor.FromArray([long.MaxValue], 1))
                .Initializer("true", Tensor.FromArray([true], []));
            if (!IncludeLastOffset)
            {
                onnx.Node("Shape", ["indices"], ["indices_shape"]).Node("Gather", ["indices_shape", "zero"], ["count"], Int("axis", 0));
                AxesNode(onnx, "Unsqueeze", "count", "count_1", [], 0);
                onnx.Node("Concat", ["offsets", "count_1"], [extended], Int("axis", 0));
            }

            if (SlicedStarts)
            {
                onnx.Node("Slice", [extended, "zeros", "to_the_end", "zeros", "ones"], [starts]);
            }

            onnx.Node("Slice", [extended, "ones", "to_the_end", "zeros", "ones"], ["ends"]);

            var trips = "trips";
            if (Deviation == Deviation.TripCountFromInput)
            {
                onnx.Input("trips", ElementType.I64);
            }
            else
            {
                onnx.Node("Shape", ["ends"], ["ends_shape"]).Node("Gather", ["ends_shape", "zero"], ["trips"], Int("axis", 0));
            }

            return onnx.Node("Loop", [trips, "true"], ["bags"], GraphValue("body", body))
                .Output("bags", ElementType.F32, bags, 2);
        }

        // An op with axes, as an attribute or (newer opsets) a Constant node feeding its second input.
        private void AxesNode(OnnxGraphBuilder graph, string op, string input, string output, AttributeProto[] attributes, long axis)
        {
            if (AxesAsInput(op))
            {
                graph.Node("Constant", [], [$"{output}_axes"], TensorValue("value", Tensor.FromArray([axis], 1)))
                    .Node(op, [input, $"{output}_axes"], [output], attributes);
            }
            else
            {
                graph.Node(op, [input], [output], [Ints("axes", axis), .. attributes]);
            }
        }
    }
}
