using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Testing;

/// <summary>How a generated EmbeddingBag Loop departs from what the exporter writes.</summary>
public enum EmbeddingBagLoopDeviation
{
    None,

    /// <summary>The body holds one more node, unused: the same values, but not the exporter's Loop.</summary>
    UnusedBodyNode,

    /// <summary>The trip count is a model input rather than the number of bags.</summary>
    TripCountFromInput,
}

/// <summary>
/// What torch.onnx writes for nn.EmbeddingBag(5, 2, mode) called with 1-D indices and offsets, without the ATen fallback:
/// a Loop over the bags whose body slices the indices between two offsets, gathers the rows and reduces them. The
/// table's row r is [r, 10·r]. Inputs in order: indices, offsets, then per-sample weights when <see cref="Weights"/>.
/// </summary>
public sealed record EmbeddingBagLoopExport(long Opset = 11, string Reduce = "ReduceSum", bool Weights = false, bool IncludeLastOffset = false,
    bool SlicedStarts = false, EmbeddingBagLoopDeviation Deviation = EmbeddingBagLoopDeviation.None)
{
    public static Tensor Table { get; } = Tensor.FromArray([0f, 0f, 1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f], 5, 2);

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
        if (Deviation == EmbeddingBagLoopDeviation.UnusedBodyNode)
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
        if (Deviation == EmbeddingBagLoopDeviation.TripCountFromInput)
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
