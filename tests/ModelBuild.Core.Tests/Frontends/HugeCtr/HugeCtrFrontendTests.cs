using System.Globalization;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.HugeCtrReference;
using static ModelBuild.Core.Tests.Helpers.ReferenceLayers;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>
/// The HugeCTR frontend on the fixtures: the .onnx it writes against the one hugectr2onnx wrote
/// (same IR and opset version, graph name, inputs and outputs, nodes in the same order with the same
/// attributes, initializers with the same names, order, types, shapes and values); the IR it makes —
/// straight and through its .onnx — against ONNX Runtime's outputs on the sample inputs, and on the
/// edge_* fixtures (where hugectr2onnx crashes or writes a model ONNX Runtime refuses) against a forward
/// pass computed from the layer definitions; and the files a conversion reads.
/// </summary>
public sealed class HugeCtrFrontendTests(ITestOutputHelper output)
{
    public static TheoryData<string, bool> WorkingReferences()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { "wdl", "dcn", "deepfm", "dlrm", "bn_ln", "din", "bst", "misc" })
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        // In keys mode the reference of edge_vocab_overflow lost its table; ModelBuild refuses that model instead.
        data.Add("edge_vocab_overflow", false);
        return data;
    }

    [Theory]
    [MemberData(nameof(WorkingReferences))]
    public void Onnx_matches_the_reference_converter(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        using var folder = new TempFolder();
        using var files = new MappedFileSet();
        var (ours, reference) = ReadBoth(fixture, convertEmbedding, folder, files);

        AssertSameInterface(reference, ours);
        Assert.Equal(reference.Proto.Graph.Node, ours.Proto.Graph.Node);
        AssertSameInitializers(reference, ours);
    }

    public static TheoryData<string, bool> WithExpectedOutputs() => new(HugeCtrFixture.WithExpectedOutputs().Select(c => (c.Name, c.ConvertEmbedding)));

    [Theory]
    [MemberData(nameof(WithExpectedOutputs))]
    public void Ir_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    [Theory]
    [MemberData(nameof(WithExpectedOutputs))]
    public void Onnx_file_reproduces_onnx_runtime_outputs(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        var actual = HugeCtrHarness.ConvertThroughOnnxAndRun(fixture.GraphConfig, fixture.Options(convertEmbedding), fixture.Samples(convertEmbedding));
        Report(HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), actual));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_conversion_lists_every_file_it_read(bool convertEmbedding)
    {
        // What the MSBuild task records so that a change to any of them converts the model again.
        var fixture = new HugeCtrFixture("dlrm");
        using var folder = new TempFolder();

        var result = ModelConverter.Convert(new ConversionRequest { InputPath = fixture.GraphConfig, HugeCtr = fixture.Options(convertEmbedding), OutputXmlPath = folder.File("dlrm.xml") });

        string[] sparse = convertEmbedding ? [Path.Combine(fixture.SparseModels[0], "key"), Path.Combine(fixture.SparseModels[0], "emb_vector")] : [];
        Assert.Equal(new[] { fixture.GraphConfig, fixture.DenseModel, fixture.NonTrainableParameters! }.Concat(sparse).Order(), result.SourceFiles.Order());
    }

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

    private void Report((double Absolute, double Relative) errors) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max abs error {errors.Absolute:G3}, max rel error {errors.Relative:G3}"));
}
