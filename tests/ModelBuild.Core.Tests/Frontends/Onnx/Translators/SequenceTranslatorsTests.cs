using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class SequenceTranslatorsTests
{
    [Fact]
    public void Split_with_runtime_lengths_then_insert_and_concat()
    {
        // Split x [6] into lengths [1, 2, 3] given at run time, insert y before the last chunk, concatenate.
        var onnx = new OnnxGraphBuilder()
            .DynamicInput("x", ElementType.F32, -1).Input("lengths", ElementType.I64, 3).Input("y", ElementType.F32, 1)
            .Initializer("before_last", Tensor.FromArray([-1L], []))
            .Node("SplitToSequence", ["x", "lengths"], ["chunks"])
            .Node("SequenceInsert", ["chunks", "y", "before_last"], ["with_y"])
            .Node("ConcatFromSequence", ["with_y"], ["joined"], Int("axis", 0))
            .Node("SequenceLength", ["with_y"], ["count"])
            .Output("joined", ElementType.F32).Output("count", ElementType.I64);

        var outputs = ConversionHarness.ConvertAndRun(onnx,
            Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 6), Tensor.FromArray([1L, 2L, 3L], 3), Tensor.FromArray([9f], 1));

        Assert.Equal([1f, 2f, 3f, 9f, 4f, 5f, 6f], outputs[0].As<float>());
        Assert.Equal([4L], outputs[1].As<long>());
    }

    [Fact]
    public void Split_into_chunks_and_single_elements_then_stack_along_a_new_axis()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 5, 2)
            .Initializer("two", Tensor.FromArray([2L], []))
            .Initializer("last", Tensor.FromArray([-1L], []))
            .Node("SplitToSequence", ["x", "two"], ["chunks"])
            .Node("SequenceAt", ["chunks", "last"], ["tail"])
            .Node("SplitToSequence", ["x"], ["columns"], Int("axis", 1), Int("keepdims", 0))
            .Node("ConcatFromSequence", ["columns"], ["stacked"], Int("axis", -1), Int("new_axis", 1))
            .Output("tail", ElementType.F32, 1, 2).Output("stacked", ElementType.F32, 5, 2);
        var x = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 5, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, x);

        Assert.Equal(new long[] { 1, 2 }, outputs[0].Shape);
        Assert.Equal([8f, 9f], outputs[0].As<float>());
        Assert.Equal(x.Shape, outputs[1].Shape);
        Assert.Equal(x.As<float>(), outputs[1].As<float>());
    }

    [Fact]
    public void Sequence_map_is_unrolled_over_the_elements()
    {
        var body = new OnnxGraphBuilder(name: "body")
            .Input("element", ElementType.F32, 2).Input("offset", ElementType.F32, 2)
            .Node("Add", ["element", "offset"], ["shifted"])
            .Output("shifted", ElementType.F32, 2);
        var onnx = new OnnxGraphBuilder()
            .Input("a", ElementType.F32, 2).Input("b", ElementType.F32, 2).Input("offset", ElementType.F32, 2)
            .Initializer("first", Tensor.FromArray([0L], []))
            .Node("SequenceConstruct", ["a", "b"], ["items"])
            .Node("SequenceMap", ["items", "offset"], ["mapped"], GraphValue("body", body))
            .Node("SequenceErase", ["mapped", "first"], ["rest"])
            .Node("ConcatFromSequence", ["mapped"], ["all"], Int("axis", 0))
            .Node("SequenceAt", ["rest", "first"], ["second"])
            .Output("all", ElementType.F32, 4).Output("second", ElementType.F32, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f], 2), Tensor.FromArray([3f, 4f], 2), Tensor.FromArray([10f, 20f], 2));

        Assert.Equal([11f, 22f, 13f, 24f], outputs[0].As<float>());
        Assert.Equal([13f, 24f], outputs[1].As<float>());
    }

    [Fact]
    public void Optionals_are_decided_at_conversion()
    {
        var onnx = new OnnxGraphBuilder(opset: 18)
            .Input("x", ElementType.F32, 2)
            .Node("Optional", ["x"], ["some"])
            .Node("Optional", [], ["none"], TypeAttribute())
            .Node("OptionalHasElement", ["some"], ["has_some"])
            .Node("OptionalHasElement", ["none"], ["has_none"])
            .Node("OptionalGetElement", ["some"], ["value"])
            .Output("has_some", ElementType.Boolean).Output("has_none", ElementType.Boolean).Output("value", ElementType.F32, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([5f, 6f], 2));

        Assert.Equal([true], outputs[0].As<bool>());
        Assert.Equal([false], outputs[1].As<bool>());
        Assert.Equal([5f, 6f], outputs[2].As<float>());
    }

    [Fact]
    public void A_position_known_only_at_run_time_is_reported()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2).Input("position", ElementType.I64)
            .Node("SequenceConstruct", ["x", "x"], ["items"])
            .Node("SequenceAt", ["items", "position"], ["y"])
            .Output("y", ElementType.F32, 2);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx));

        Assert.Contains("position (input 1) must be a constant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_model_output_is_reported_as_impossible()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2)
            .Node("SequenceConstruct", ["x"], ["items"])
            .SequenceOutput("items", ElementType.F32);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx));

        Assert.Equal(DiagnosticCode.UnsupportedElementType, error.Code);
        Assert.Contains("'items' is a sequence", error.Message, StringComparison.Ordinal);
    }

    // Optional without an input names its type; the value is never read by the conversion.
    private static AttributeProto TypeAttribute()
    {
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } };
        return new AttributeProto { Name = "type", Type = AttributeProto.Types.AttributeType.TypeProto, Tp = type };
    }
}
