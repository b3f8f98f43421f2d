using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class ReductionTranslatorsTests
{
    private static readonly Tensor OneToSix = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

    [Fact]
    public void ReduceSum_takes_axes_from_the_attribute_before_opset_13_and_from_the_input_after()
    {
        var attributeForm = new OnnxGraphBuilder(opset: 11)
            .Input("x", ElementType.F32, 2, 3)
            .Node("ReduceSum", ["x"], ["y"], Ints("axes", 1), Int("keepdims", 0))
            .Output("y", ElementType.F32, 2);
        var inputForm = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Initializer("axes", Tensor.FromArray([-1L], 1))
            .Node("ReduceSum", ["x", "axes"], ["y"], Int("keepdims", 0))
            .Output("y", ElementType.F32, 2);

        Assert.Equal([6f, 15f], ConversionHarness.ConvertAndRun(attributeForm, OneToSix)[0].As<float>());
        Assert.Equal([6f, 15f], ConversionHarness.ConvertAndRun(inputForm, OneToSix)[0].As<float>());
    }

    [Fact]
    public void Missing_axes_reduce_every_axis_and_keepdims_defaults_to_true()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 2, 3)
            .Node("ReduceMean", ["x"], ["y"])
            .Output("y", ElementType.F32, 1, 1);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToSix)[0];

        Assert.Equal([1L, 1L], y.Shape);
        Assert.Equal([3.5f], y.As<float>());
    }

    [Fact]
    public void Empty_axes_with_noop_with_empty_axes_leave_the_input_as_it_is()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Initializer("axes", Tensor.FromArray(Array.Empty<long>(), 0))
            .Node("ReduceSum", ["x", "axes"], ["y"], Int("noop_with_empty_axes", 1))
            .Output("y", ElementType.F32, 2, 3);

        var y = ConversionHarness.ConvertAndRun(onnx, OneToSix)[0];

        Assert.Equal([2L, 3L], y.Shape);
        Assert.Equal(OneToSix.As<float>(), y.As<float>());
    }

    [Fact]
    public void Axes_of_unknown_length_reduce_everything_when_empty_at_run_time()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .DynamicInput("axes", ElementType.I64, -1)
            .Node("ReduceSum", ["x", "axes"], ["y"], Int("keepdims", 0))
            .Output("y", ElementType.F32);

        var none = ConversionHarness.ConvertAndRun(onnx, OneToSix, Tensor.FromArray(Array.Empty<long>(), 0))[0];
        var rows = ConversionHarness.ConvertAndRun(onnx, OneToSix, Tensor.FromArray([1L], 1))[0];

        Assert.Equal([21f], none.As<float>());
        Assert.Equal([6f, 15f], rows.As<float>());
    }

    [Fact]
    public void ReduceLogSumExp_does_not_overflow_on_large_inputs()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 2)
            .Node("ReduceLogSumExp", ["x"], ["y"], Ints("axes", 1), Int("keepdims", 0))
            .Output("y", ElementType.F32, 2);
        var x = Tensor.FromArray([1000f, 1000f, -5f, float.NegativeInfinity], 2, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, x)[0].As<float>();

        Assert.Equal(1000 + Math.Log(2), y[0], 3);
        Assert.Equal(-5.0, y[1], 5);
    }

    [Fact]
    public void ReduceSumSquare_ReduceLogSum_and_ReduceL2_follow_their_definitions()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Node("ReduceSumSquare", ["x"], ["square"], Ints("axes", 1), Int("keepdims", 0))
            .Node("ReduceLogSum", ["x"], ["log"], Ints("axes", 1), Int("keepdims", 0))
            .Node("ReduceL2", ["x"], ["l2"], Ints("axes", 1), Int("keepdims", 0))
            .Output("square", ElementType.F32, 2).Output("log", ElementType.F32, 2).Output("l2", ElementType.F32, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, OneToSix);

        Assert.Equal([14f, 77f], results[0].As<float>());
        Assert.Equal(Math.Log(6), results[1].As<float>()[0], 5);
        Assert.Equal(Math.Log(15), results[1].As<float>()[1], 5);
        Assert.Equal(Math.Sqrt(77), results[2].As<float>()[1], 5);
    }

    [Fact]
    public void Boolean_ReduceMax_and_ReduceMin_are_any_and_all()
    {
        var onnx = new OnnxGraphBuilder(opset: 20)
            .Input("x", ElementType.Boolean, 2, 2)
            .Node("ReduceMax", ["x"], ["any"], Int("keepdims", 0))
            .Node("ReduceMin", ["x"], ["all"], Int("keepdims", 0))
            .Output("any", ElementType.Boolean).Output("all", ElementType.Boolean);
        var x = Tensor.FromArray([true, false, true, true], 2, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, x);

        Assert.Equal([true], results[0].As<bool>());
        Assert.Equal([false], results[1].As<bool>());
    }

    [Fact]
    public void ArgMax_picks_the_first_tie_and_select_last_index_the_last()
    {
        var x = Tensor.FromArray([2f, 5f, 5f, 7f, 7f, 1f], 2, 3);
        OnnxGraphBuilder Model(long last) => new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.F32, 2, 3)
            .Node("ArgMax", ["x"], ["y"], Int("axis", 1), Int("keepdims", 0), Int("select_last_index", last))
            .Output("y", ElementType.I64, 2);

        Assert.Equal([1L, 0L], ConversionHarness.ConvertAndRun(Model(0), x)[0].As<long>());
        Assert.Equal([2L, 1L], ConversionHarness.ConvertAndRun(Model(1), x)[0].As<long>());
    }

    [Fact]
    public void ArgMin_keeps_the_reduced_axis_by_default_and_accepts_negative_axes()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("x", ElementType.I32, 2, 3)
            .Node("ArgMin", ["x"], ["first"], Int("axis", -2))
            .Node("ArgMin", ["x"], ["last"], Int("axis", -2), Int("select_last_index", 1))
            .Output("first", ElementType.I64, 1, 3).Output("last", ElementType.I64, 1, 3);
        var x = Tensor.FromArray([4, 0, 9, 4, 3, -1], 2, 3);

        var results = ConversionHarness.ConvertAndRun(onnx, x);

        Assert.Equal([1L, 3L], results[0].Shape);
        Assert.Equal([0L, 0L, 1L], results[0].As<long>());
        Assert.Equal([1L, 0L, 1L], results[1].As<long>());
    }

    [Fact]
    public void Reductions_work_on_dynamic_dimensions()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .DynamicInput("x", ElementType.F32, -1, 3)
            .Node("ReduceProd", ["x"], ["y"], Int("keepdims", 0))
            .Node("ArgMax", ["x"], ["i"], Int("axis", 0), Int("select_last_index", 1))
            .Output("y", ElementType.F32).Output("i", ElementType.I64, 1, 3);

        var results = ConversionHarness.ConvertAndRun(onnx, OneToSix);

        Assert.Equal([720f], results[0].As<float>());
        Assert.Equal([1L, 1L, 1L], results[1].As<long>());
    }
}
