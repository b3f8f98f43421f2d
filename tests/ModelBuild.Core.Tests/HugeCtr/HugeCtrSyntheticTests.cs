using System.Runtime.InteropServices;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>Layer configurations no fixture has, on small graph configs written here; and that the fixtures cover every layer type.</summary>
public sealed class HugeCtrSyntheticTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_fixtures_cover_every_supported_layer_type()
    {
        using var files = new MappedFileSet();
        var used = Directory.GetDirectories(HugeCtrFixture.Root)
            .SelectMany(folder => GraphConfigReader.Read(new HugeCtrFixture(Path.GetFileName(folder)).GraphConfig, files).Layers)
            .Select(l => l.Type)
            .ToHashSet();

        Assert.Equal([], HugeCtrLayerTable.Builders.Keys.Except(used));
    }

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

    [Fact]
    public void Embedding_tables_stream_into_the_onnx_file_without_being_held_in_memory()
    {
        // 4 M rows: a 32 MB embedding table and a 32 MB key->row table, of which the sparse model stores 1000 keys.
        const int Vocabulary = 4_000_000;
        var config = Write($$$"""
            {"layers": [
              {"type": "Data", "dense": {"top": "dense", "dense_dim": 1}, "label": {"top": "label", "label_dim": 1},
               "sparse": [{"top": "keys", "slot_num": 1, "nnz_per_slot": [1], "is_fixed_length": true}]},
              {"type": "DistributedSlotSparseEmbeddingHash", "bottom": "keys", "top": "embedding",
               "sparse_embedding_hparam": {"max_vocabulary_size_global": {{{Vocabulary}}}, "embedding_vec_size": 2, "combiner": "sum"}},
              {"type": "Reshape", "bottom": "embedding", "leading_dim": 2, "time_step": 0, "top": "flat"},
              {"type": "InnerProduct", "bottom": "flat", "fc_param": {"num_output": 1}, "top": "fc"},
              {"type": "BinaryCrossEntropyLoss", "bottom": ["fc", "label"], "top": "loss"}
            ]}
            """);
        var dense = _folder.File("dense.model");
        File.WriteAllBytes(dense, new byte[3 * sizeof(float)]);
        var sparse = Directory.CreateDirectory(_folder.File("sparse.model")).FullName;
        var keys = Enumerable.Range(0, 1000).Select(i => (long)i * 3989).ToArray();
        File.WriteAllBytes(Path.Combine(sparse, "key"), keys.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(Path.Combine(sparse, "emb_vector"), Enumerable.Range(0, 2000).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray());
        var onnx = _folder.File("large.onnx");

        var before = GC.GetAllocatedBytesForCurrentThread();
        HugeCtrFrontend.WriteOnnx(config, new HugeCtrOptions { DenseModelPath = dense, SparseModelPaths = [sparse], ConvertEmbedding = true }, onnx);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(new FileInfo(onnx).Length > 64_000_000);
        Assert.True(allocated < 8 << 20, $"writing allocated {allocated:N0} bytes of managed memory");
        using var files = new MappedFileSet();
        var model = OnnxModelReader.Read(onnx, files);
        var keyToRow = model.Payload(model.Proto.Graph.Initializer.Single(t => t.Name == "embedding_hash_table"))!;
        var table = model.Payload(model.Proto.Graph.Initializer.Single(t => t.Name == "embedding_embedding_table"))!;
        Span<byte> element = stackalloc byte[8];
        foreach (var record in new[] { 1, 500, 1000 })
        {
            keyToRow.Read(keys[record - 1] * sizeof(long), element);
            Assert.Equal(record, BitConverter.ToInt64(element));
            table.Read(record * 2 * sizeof(float), element);
            Assert.Equal([(record - 1) * 2f, ((record - 1) * 2f) + 1], MemoryMarshal.Cast<byte, float>(element).ToArray());
        }

        keyToRow.Read(((long)Vocabulary - 1) * sizeof(long), element);
        Assert.Equal(0, BitConverter.ToInt64(element));
    }

    private string Write(string json)
    {
        var path = _folder.File("graph.json");
        File.WriteAllText(path, json);
        return path;
    }

    private string EmptyDenseModel()
    {
        var path = _folder.File("dense.model");
        File.WriteAllBytes(path, []);
        return path;
    }
}
