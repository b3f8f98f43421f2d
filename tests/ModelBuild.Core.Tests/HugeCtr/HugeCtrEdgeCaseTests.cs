using ModelBuild.Core.Graph;
using Xunit;
using static ModelBuild.Core.Tests.HugeCtr.ReferenceLayers;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>
/// The edge_* fixtures, where hugectr2onnx crashes or writes a model ONNX Runtime refuses: ModelBuild
/// writes a valid model, and its outputs on the sample inputs — straight to IR and through the .onnx —
/// equal a forward pass computed here from the layer definitions and the fixture's weights.
/// </summary>
public sealed class HugeCtrEdgeCaseTests
{
    private const int VectorSize = 4;

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { "edge_ce", "edge_mce", "edge_ln2d", "edge_mlp_fc", "edge_mlp_nobias", "edge_mha_x2" })
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Converts_to_a_model_that_computes_the_layer_definitions(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var inputs = fixture.Samples(convertEmbedding);
        var expected = new Dictionary<string, Tensor> { ["label"] = Forward(fixture, inputs, convertEmbedding) };

        HugeCtrHarness.AssertMatches(expected, HugeCtrHarness.ConvertAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), inputs));
        HugeCtrHarness.AssertMatches(expected, HugeCtrHarness.ConvertThroughOnnxAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), inputs));
    }

    // The label of each sample: the embedding (looked up from the keys, or given), then the fixture's layers.
    private static Tensor Forward(HugeCtrFixture fixture, IReadOnlyDictionary<string, Tensor> inputs, bool convertEmbedding)
    {
        var dense = inputs["dense"];
        var batch = (int)dense.Shape[0];
        var denseWidth = (int)dense.Shape[1];
        var table = convertEmbedding ? fixture.EmbeddingVectors(0, VectorSize) : null;
        var embeddings = convertEmbedding ? inputs.Single(i => i.Key != "dense").Value : inputs["emb"];
        var embeddingWidth = (int)(embeddings.Shape[1] * (convertEmbedding ? VectorSize : embeddings.Shape[2]));
        var labels = new List<float>();
        for (var b = 0; b < batch; b++)
        {
            var features = dense.As<float>().AsSpan(b * denseWidth, denseWidth).ToArray();
            var embedding = convertEmbedding
                ? Embed(embeddings.As<long>().AsSpan(b * (int)embeddings.Shape[1], (int)embeddings.Shape[1]).ToArray(), 1, table!, VectorSize, mean: false)
                : embeddings.As<float>().AsSpan(b * embeddingWidth, embeddingWidth).ToArray();
            labels.AddRange(Sample(fixture, features, embedding));
        }

        return Tensor.FromArray(labels.ToArray(), batch, labels.Count / batch);
    }

    private static float[] Sample(HugeCtrFixture fixture, float[] dense, float[] embedding)
    {
        float[] Weight(string top, string tensor = "weight") => fixture.DenseTensor(top, tensor);
        float[] Fc(float[] x, string top, int outputs) => FullyConnected(x, Weight(top), Weight(top, "bias"), outputs);
        var x = Concat(embedding, embedding.Length, dense, dense.Length);
        switch (fixture.Name)
        {
            case "edge_ce":
                return Softmax(Fc(x, "fc1", 2), 2);
            case "edge_mce":
                var perSlot = Fc(embedding, "fc3d", 2);
                return Sigmoid(Fc(Concat(perSlot, perSlot.Length, dense, dense.Length), "fc1", 3));
            case "edge_ln2d":
                var normalized = LayerNorm(x, x.Length, Weight("ln", "gamma"), Weight("ln", "beta"), 9.999999747378752e-06);
                return Sigmoid(Fc(normalized, "fc1", 1));
            case "edge_mlp_fc":
                var hidden = Relu(FullyConnected(Relu(FullyConnected(x, Weight("mlp", "weight0"), Weight("mlp", "bias0"), 8)), Weight("mlp", "weight1"), Weight("mlp", "bias1"), 4));
                return Sigmoid(Fc(hidden, "fc1", 1));
            case "edge_mlp_nobias":
                // The second MLP layer has no bias; the dense file stores one anyway, which must not be added.
                var first = Relu(FullyConnected(x, Weight("mlp", "weight0"), Weight("mlp", "bias0"), 8));
                return Sigmoid(FullyConnected(first, Weight("mlp", "weight1"), null, 1));
            case "edge_mha_x2":
                var length = dense[0];
                bool Visible(int i, int j) => i < length && j < length;
                var attended = Attention(Fc(embedding, "q1", VectorSize), Fc(embedding, "k1", VectorSize), Fc(embedding, "v1", VectorSize), VectorSize, 2, Visible);
                var twice = Attention(attended, attended, attended, VectorSize, 2, Visible);
                return Sigmoid(Fc(MeanOfRows(twice, VectorSize), "fc1", 1));
            default:
                throw new ArgumentException($"No forward pass for {fixture.Name}.", nameof(fixture));
        }
    }
}
