using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class EmbeddingTranslatorsTests
{
    // Rows r = [r, 10·r].
    private static readonly Tensor Table = Tensor.FromArray([0f, 0f, 1f, 10f, 2f, 20f, 3f, 30f], 4, 2);

    [Theory]
    [InlineData("")]
    [InlineData(OnnxDomains.PyTorchAten)]
    public void Embedding_bag_with_offsets_sums_each_bag_and_leaves_empty_bags_zero(string domain)
    {
        var onnx = Aten(domain, ["table", "indices", "offsets"])
            .Input("indices", ElementType.I64, 5).Input("offsets", ElementType.I64, 3)
            .Output("sums", ElementType.F32, 3, 2);

        var sums = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1L, 2L, 3L, 3L, 0L], 5), Tensor.FromArray([0L, 2L, 2L], 3))[0];

        // Bags: {1, 2}, {}, {3, 3, 0}.
        Assert.Equal([3f, 30f, 0f, 0f, 6f, 60f], sums.As<float>());
    }

    [Fact]
    public void Weighted_bags_use_a_zero_default_row_for_empty_bags()
    {
        var onnx = Aten("", ["table", "indices", "offsets", "weights"])
            .Input("indices", ElementType.I64, 3).Input("offsets", ElementType.I64, 3).Input("weights", ElementType.F32, 3)
            .Output("sums", ElementType.F32, 3, 2);

        var sums = ConversionHarness.ConvertAndRun(onnx,
            Tensor.FromArray([1L, 2L, 3L], 3), Tensor.FromArray([0L, 1L, 1L], 3), Tensor.FromArray([2f, 0.5f, -1f], 3))[0];

        // Bags: {1·2}, {}, {2·0.5 + 3·(-1)}.
        Assert.Equal([2f, 20f, 0f, 0f, -2f, -20f], sums.As<float>());
    }

    [Fact]
    public void Packed_indices_and_include_last_offset_are_understood()
    {
        var packed = Aten("", ["table", "indices"])
            .Input("indices", ElementType.I64, 2, 2)
            .Output("sums", ElementType.F32, 2, 2);
        var lastOffset = Aten("", ["table", "indices", "offsets"], Int("include_last_offset", 1))
            .Input("indices", ElementType.I64, 3).Input("offsets", ElementType.I64, 3)
            .Output("sums", ElementType.F32, 2, 2);

        var packedSums = ConversionHarness.ConvertAndRun(packed, Tensor.FromArray([0L, 3L, 1L, 1L], 2, 2))[0];
        var offsetSums = ConversionHarness.ConvertAndRun(lastOffset, Tensor.FromArray([3L, 1L, 2L], 3), Tensor.FromArray([0L, 1L, 3L], 3))[0];

        Assert.Equal([3f, 30f, 2f, 20f], packedSums.As<float>());
        Assert.Equal([3f, 30f, 3f, 30f], offsetSums.As<float>());
    }

    [Fact]
    public void Other_aten_operators_and_unproduced_outputs_are_reported()
    {
        var other = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2)
            .Node("ATen", ["x"], ["y"], String("operator", "gelu"))
            .Output("y", ElementType.F32, 2);
        var offset2bag = Aten("", ["table", "indices", "offsets"])
            .Input("indices", ElementType.I64, 2).Input("offsets", ElementType.I64, 1)
            .Output("bag_of_each_index", ElementType.I64, 2);

        var otherError = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(other));
        var outputError = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(offset2bag));

        Assert.Contains("'gelu'", otherError.Message, StringComparison.Ordinal);
        Assert.Contains("output 1 of ATen", outputError.Message, StringComparison.Ordinal);
    }

    private static OnnxGraphBuilder Aten(string domain, string[] inputs, params AttributeProto[] extra)
    {
        var onnx = new OnnxGraphBuilder(opset: 11).Initializer("table", Table);
        string[] outputs = ["sums", "bag_of_each_index", "bag_size", "max_indices"];
        AttributeProto[] attributes = [String("operator", "embedding_bag"), Int("mode", 0), .. extra];
        return domain.Length == 0
            ? onnx.Node("ATen", inputs, outputs, attributes)
            : onnx.DomainNode(domain, 1, "ATen", inputs, outputs, attributes);
    }
}
