using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr.Layers;

/// <summary>Element-wise layer configurations no fixture has, on small graph configs written here.</summary>
public sealed class ElementwiseLayersTests : HugeCtrWorkspace
{
    [Fact]
    public void Softmax_with_a_mask_adds_minus_ten_thousand_where_the_mask_is_false()
    {
        var config = Write("""
            {"layers": [
              {"type": "Data", "dense": {"top": "d", "dense_dim": 5}, "label": {"top": "label", "label_dim": 3}, "sparse": []},
              {"type": "Slice", "bottom": "d", "ranges": [[0, 1], [1, 2], [2, 5]], "top": ["from", "to", "x"]},
              {"type": "SequenceMask", "bottom": ["from", "to"], "max_sequence_len_from": 1, "max_sequence_len_to": 3, "top": "mask"},
              {"type": "Softmax", "bottom": ["x", "mask"], "top": "probabilities"},
              {"type": "CrossEntropyLoss", "bottom": ["probabilities", "label"], "top": "loss"}
            ]}
            """);
        using var files = new MappedFileSet();

        var model = HugeCtrFrontend.ToOnnx(config, new HugeCtrOptions { DenseModelPath = EmptyDenseModel() }, files);
        var graph = model.Proto.Graph;

        // hugectr2onnx §9.24: Not(mask) → Cast(float) → Mul(−10000) → Add(x, ·) → Softmax without axis.
        var softmax = graph.Node.SkipWhile(n => n.Output[0] != "mask").Skip(1).Take(5).Select(n => $"{n.OpType}({string.Join(", ", n.Input)}) -> {n.Output[0]}");
        Assert.Equal(
        [
            "Not(mask) -> mask_not",
            "Cast(mask_not) -> mask_float_not",
            "Mul(mask_float_not, x_padding_val) -> mask_masked_offset",
            "Add(x, mask_masked_offset) -> x_masked_val",
            "Softmax(x_masked_val) -> probabilities",
        ], softmax);
        var padding = graph.Initializer.Single(t => t.Name == "x_padding_val");
        Assert.Equal([-10000f], OnnxTensors.ToTensor(padding, model).As<float>());
    }
}
