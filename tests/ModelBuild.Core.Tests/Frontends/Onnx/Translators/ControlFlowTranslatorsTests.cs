using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class ControlFlowTranslatorsTests
{
    [Fact]
    public void Loop_carries_values_stacks_scan_outputs_and_reads_outer_values()
    {
        // for i in 0..trips-1: acc += table[i] * scale; scan out acc.
        var body = new OnnxGraphBuilder(name: "body")
            .Input("i", ElementType.I64).Input("cond_in", ElementType.Boolean).Input("acc_in", ElementType.F32, 2)
            .Node("Gather", ["table", "i"], ["row"])
            .Node("Mul", ["row", "scale"], ["scaled"])
            .Node("Add", ["acc_in", "scaled"], ["acc_out"])
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Node("Identity", ["acc_out"], ["scan"])
            .Output("cond_out", ElementType.Boolean).Output("acc_out", ElementType.F32, 2).Output("scan", ElementType.F32, 2);
        var onnx = new OnnxGraphBuilder()
            .Input("trips", ElementType.I64).Input("scale", ElementType.F32, 2).Input("acc", ElementType.F32, 2)
            .Initializer("table", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2))
            .Node("Loop", ["trips", "", "acc"], ["final", "history"], GraphValue("body", body))
            .Output("final", ElementType.F32, 2).Output("history", ElementType.F32, 3, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([3L], []), Tensor.FromArray([10f, 100f], 2), Tensor.FromArray([0.5f, 0.5f], 2));

        Assert.Equal([90.5f, 1200.5f], outputs[0].As<float>());
        Assert.Equal(new long[] { 3, 2 }, outputs[1].Shape);
        Assert.Equal([10.5f, 200.5f, 40.5f, 600.5f, 90.5f, 1200.5f], outputs[1].As<float>());
    }

    [Fact]
    public void While_loop_stops_on_the_body_condition_and_zero_iterations_keep_initial_values()
    {
        // while (x < limit) x *= 2, without a trip count.
        var body = new OnnxGraphBuilder(name: "body")
            .Input("i", ElementType.I64).Input("cond_in", ElementType.Boolean).Input("x_in", ElementType.F32)
            .Node("Mul", ["x_in", "two"], ["x_out"])
            .Node("Less", ["x_out", "limit"], ["cond_out"])
            .Output("cond_out", ElementType.Boolean).Output("x_out", ElementType.F32);
        var onnx = new OnnxGraphBuilder()
            .Input("start", ElementType.Boolean).Input("x", ElementType.F32).Input("limit", ElementType.F32)
            .Initializer("two", Tensor.FromArray([2f], []))
            .Node("Loop", ["", "start", "x"], ["y"], GraphValue("body", body))
            .Output("y", ElementType.F32);

        var ran = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([true], []), Tensor.FromArray([3f], []), Tensor.FromArray([50f], []));
        var skipped = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([false], []), Tensor.FromArray([3f], []), Tensor.FromArray([50f], []));

        Assert.Equal([96f], ran[0].As<float>());
        Assert.Equal([3f], skipped[0].As<float>());
    }

    [Fact]
    public void Loop_carried_value_that_grows_gets_a_dynamic_shape()
    {
        var body = new OnnxGraphBuilder(name: "body")
            .Input("i", ElementType.I64).Input("cond_in", ElementType.Boolean).Input("x_in", ElementType.F32, 1)
            .Node("Concat", ["x_in", "x_in"], ["x_out"], Int("axis", 0))
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Output("cond_out", ElementType.Boolean).Output("x_out", ElementType.F32);
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 1)
            .Initializer("trips", Tensor.FromArray([3L], []))
            .Node("Loop", ["trips", "", "x"], ["y"], GraphValue("body", body))
            .Output("y", ElementType.F32);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([7f], 1))[0];

        Assert.Equal(Enumerable.Repeat(7f, 8), y.As<float>());
    }

    [Fact]
    public void If_with_a_runtime_condition_runs_the_branch_it_selects_with_outer_values()
    {
        var then = new OnnxGraphBuilder(name: "then").Node("Add", ["a", "b"], ["sum"]).Output("sum", ElementType.F32, 2);
        var otherwise = new OnnxGraphBuilder(name: "else").Node("Mul", ["a", "b"], ["product"]).Output("product", ElementType.F32, 2);
        var onnx = new OnnxGraphBuilder()
            .Input("cond", ElementType.Boolean).Input("a", ElementType.F32, 2).Input("b", ElementType.F32, 2)
            .Node("If", ["cond"], ["y"], GraphValue("then_branch", then), GraphValue("else_branch", otherwise))
            .Output("y", ElementType.F32, 2);
        var a = Tensor.FromArray([2f, 3f], 2);
        var b = Tensor.FromArray([4f, 5f], 2);

        Assert.Equal([6f, 8f], ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([true], []), a, b)[0].As<float>());
        Assert.Equal([8f, 15f], ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([false], []), a, b)[0].As<float>());
    }

    /// <summary>Found by the differential suite: ONNX takes any one-element condition; OpenVINO's If a scalar or [1] (was MB2002).</summary>
    [Theory]
    [InlineData(new long[] { 1, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    [InlineData(new long[] { 1 })]
    public void If_with_a_one_element_condition_of_any_rank_selects_its_branch(long[] conditionShape)
    {
        var then = new OnnxGraphBuilder(name: "then").Node("Neg", ["a"], ["negated"]).Output("negated", ElementType.F32, 2);
        var otherwise = new OnnxGraphBuilder(name: "else").Node("Abs", ["a"], ["absolute"]).Output("absolute", ElementType.F32, 2);
        var onnx = new OnnxGraphBuilder()
            .Input("cond", ElementType.Boolean, conditionShape).Input("a", ElementType.F32, 2)
            .Node("If", ["cond"], ["y"], GraphValue("then_branch", then), GraphValue("else_branch", otherwise))
            .Output("y", ElementType.F32, 2);
        var a = Tensor.FromArray([2f, -3f], 2);

        Assert.Equal([-2f, 3f], ConversionHarness.ConvertAndRun(onnx, new Tensor(ElementType.Boolean, conditionShape, new[] { true }), a)[0].As<float>());
        Assert.Equal([2f, 3f], ConversionHarness.ConvertAndRun(onnx, new Tensor(ElementType.Boolean, conditionShape, new[] { false }), a)[0].As<float>());
    }

    [Fact]
    public void If_with_a_constant_condition_is_replaced_by_its_branch_which_may_yield_a_sequence()
    {
        var then = new OnnxGraphBuilder(name: "then").Node("SequenceConstruct", ["a", "b"], ["seq"]).SequenceOutput("seq", ElementType.F32);
        var otherwise = new OnnxGraphBuilder(name: "else").Node("SequenceConstruct", ["b"], ["seq2"]).SequenceOutput("seq2", ElementType.F32);
        var onnx = new OnnxGraphBuilder()
            .Input("a", ElementType.F32, 2).Input("b", ElementType.F32, 2)
            .Initializer("cond", Tensor.FromArray([true], []))
            .Initializer("last", Tensor.FromArray([-1L], []))
            .Node("If", ["cond"], ["chosen"], GraphValue("then_branch", then), GraphValue("else_branch", otherwise))
            .Node("SequenceAt", ["chosen", "last"], ["y"])
            .Output("y", ElementType.F32, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 2), Tensor.FromArray([3f, 4f], 2))[0];

        Assert.Equal([3f, 4f], y.As<float>());
    }

    [Fact]
    public void Scan_9_iterates_along_its_axes_in_both_directions()
    {
        // Running sum over axis 1 of x [2, 3], scanned in reverse; scan output stacked along axis 1.
        var body = new OnnxGraphBuilder(name: "body")
            .Input("sum_in", ElementType.F32, 2).Input("column", ElementType.F32, 2)
            .Node("Add", ["sum_in", "column"], ["sum_out"])
            .Node("Identity", ["sum_out"], ["partial"])
            .Output("sum_out", ElementType.F32, 2).Output("partial", ElementType.F32, 2);
        var onnx = new OnnxGraphBuilder(opset: 11)
            .Input("initial", ElementType.F32, 2).Input("x", ElementType.F32, 2, 3)
            .Node("Scan", ["initial", "x"], ["total", "partials"], GraphValue("body", body), Int("num_scan_inputs", 1),
                Ints("scan_input_axes", 1), Ints("scan_input_directions", 1), Ints("scan_output_axes", -1))
            .Output("total", ElementType.F32, 2).Output("partials", ElementType.F32, 2, 3);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([0f, 100f], 2), Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));

        Assert.Equal([6f, 115f], outputs[0].As<float>());
        Assert.Equal(new long[] { 2, 3 }, outputs[1].Shape);
        Assert.Equal([3f, 5f, 6f, 106f, 111f, 115f], outputs[1].As<float>());
    }

    [Fact]
    public void Scan_8_scans_every_batch_entry_separately()
    {
        var body = new OnnxGraphBuilder(name: "body")
            .Input("sum_in", ElementType.F32, 1).Input("next", ElementType.F32, 1)
            .Node("Add", ["sum_in", "next"], ["sum_out"])
            .Node("Identity", ["sum_out"], ["partial"])
            .Output("sum_out", ElementType.F32, 1).Output("partial", ElementType.F32, 1);
        var onnx = new OnnxGraphBuilder(opset: 8)
            .Input("initial", ElementType.F32, 2, 1).Input("x", ElementType.F32, 2, 3, 1)
            .Node("Scan", ["", "initial", "x"], ["total", "partials"], GraphValue("body", body), Int("num_scan_inputs", 1))
            .Output("total", ElementType.F32, 2, 1).Output("partials", ElementType.F32, 2, 3, 1);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([0f, 10f], 2, 1), Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3, 1));

        Assert.Equal([6f, 25f], outputs[0].As<float>());
        Assert.Equal([1f, 3f, 6f, 14f, 19f, 25f], outputs[1].As<float>());
    }
}
