using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>Names of the emitted ONNX tensors, on a small graph config written here.</summary>
public sealed class OnnxGraphEmitterTests : HugeCtrWorkspace
{
    [Fact]
    public void Generated_names_never_take_a_config_name_and_Scale_by_one_is_the_identity()
    {
        // A 3-input ElementwiseMultiply names its intermediate product "p1" — a tensor the config already has.
        // hugectr2onnx writes "p1" twice (not SSA); and Scale with factor 1 reads a tensor it never wrote.
        var config = Write("""
            {"layers": [
              {"type": "Data", "dense": {"top": "d", "dense_dim": 2}, "label": {"top": "label", "label_dim": 2}, "sparse": []},
              {"type": "Slice", "bottom": "d", "ranges": [[0, 2], [0, 2], [0, 2], [0, 2]], "top": ["a", "b", "c", "p1"]},
              {"type": "ElementwiseMultiply", "bottom": ["a", "b", "c"], "top": "p"},
              {"type": "Add", "bottom": ["p", "p1"], "top": "s"},
              {"type": "Scale", "bottom": "s", "scale_param": {"axis": 1, "factor": 1.0}, "top": "scaled"},
              {"type": "BinaryCrossEntropyLoss", "bottom": ["scaled", "label"], "top": "loss"}
            ]}
            """);
        var options = new HugeCtrOptions { DenseModelPath = EmptyDenseModel() };
        using (var files = new MappedFileSet())
        {
            var outputs = HugeCtrFrontend.ToOnnx(config, options, files).Proto.Graph.Node.Select(n => n.Output[0]).ToList();
            Assert.Equal(outputs.Distinct().Count(), outputs.Count);
            Assert.Contains("p1_1", outputs);
        }

        float[] d = [0.5f, -2f, 1.5f, 0f];
        var actual = HugeCtrHarness.ConvertAndRun(config, options, new Dictionary<string, Tensor> { ["d"] = Tensor.FromArray(d, 2, 2) });

        var expected = ReferenceLayers.Sigmoid(d.Select(x => (x * x * x) + x).ToArray());
        HugeCtrHarness.AssertMatches(new Dictionary<string, Tensor> { ["label"] = Tensor.FromArray(expected, 2, 2) }, actual);
    }
}
