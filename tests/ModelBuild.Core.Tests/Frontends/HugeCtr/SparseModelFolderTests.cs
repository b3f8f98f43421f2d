using System.Runtime.InteropServices;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.HugeCtr;

/// <summary>Sparse model folders: missing folders, keys and vectors that do not fit are errors; tables stream without being held in memory.</summary>
public sealed class SparseModelFolderTests : HugeCtrWorkspace
{
    [Fact]
    public void A_missing_sparse_folder_is_MB4004()
    {
        var fixture = Copy("wdl");
        Directory.Delete(fixture.SparseModels[1], recursive: true);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrMissingFile, error.Code);
        Assert.Equal(fixture.SparseModels[1], error.File);
        Assert.Equal("The sparse model folder of layer 2 (DistributedSlotSparseEmbeddingHash 'sparse_embedding1') does not exist.", error.Message);
    }

    [Fact]
    public void A_key_outside_the_table_is_MB4005_not_a_silently_shorter_table()
    {
        // Table 0 (wide_data, vocabulary 110) owns keys [0, 110); key 130 fits no row of it.
        var fixture = Copy("wdl");
        var keys = Path.Combine(fixture.SparseModels[0], "key");
        var bytes = File.ReadAllBytes(keys);
        BitConverter.GetBytes(130L).CopyTo(bytes, 3 * sizeof(long));
        File.WriteAllBytes(keys, bytes);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrKeyOutOfRange, error.Code);
        Assert.Equal(keys, error.File);
        Assert.Equal("The sparse model's key 130 (record 4) lies outside the key range [0, 110) of layer 1 (DistributedSlotSparseEmbeddingHash 'sparse_embedding2').", error.Message);
    }

    [Fact]
    public void A_negative_or_repeated_key_is_MB4005()
    {
        var fixture = Copy("wdl");
        var keys = Path.Combine(fixture.SparseModels[1], "key");
        var original = File.ReadAllBytes(keys);
        var bytes = (byte[])original.Clone();
        BitConverter.GetBytes(-1L).CopyTo(bytes, 0);
        File.WriteAllBytes(keys, bytes);
        Assert.Contains("key -1 (record 1) lies outside", Convert(fixture, convertEmbedding: true).Message, StringComparison.Ordinal);

        bytes = (byte[])original.Clone();
        original.AsSpan(0, sizeof(long)).CopyTo(bytes.AsSpan(5 * sizeof(long)));
        File.WriteAllBytes(keys, bytes);
        var error = Convert(fixture, convertEmbedding: true);
        Assert.Equal(DiagnosticCode.HugeCtrKeyOutOfRange, error.Code);
        Assert.Contains($"key {BitConverter.ToInt64(original)} is stored twice (records 1 and 6)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_keys_than_the_vocabulary_is_MB4003()
    {
        // hugectr2onnx drops this whole table silently (its first key is already out of range).
        var fixture = new HugeCtrFixture("edge_vocab_overflow");

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Equal(Path.Combine(fixture.SparseModels[0], "key"), error.File);
        Assert.Equal("The file holds 29 keys, more than the 12 rows of layer 1 (DistributedSlotSparseEmbeddingHash 'emb') (max_vocabulary_size_global).", error.Message);
    }

    [Fact]
    public void Vectors_that_do_not_match_the_keys_are_MB4003()
    {
        var fixture = Copy("wdl");
        var vectors = Path.Combine(fixture.SparseModels[1], "emb_vector");
        Truncate(vectors, new FileInfo(vectors).Length - 4);

        var error = Convert(fixture, convertEmbedding: true);

        Assert.Equal(DiagnosticCode.HugeCtrSizeMismatch, error.Code);
        Assert.Equal(vectors, error.File);
        Assert.Equal("The file holds 2364 bytes; 74 keys of layer 2 (DistributedSlotSparseEmbeddingHash 'sparse_embedding1'), whose embedding_vec_size is 8, need 2368.", error.Message);
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
        var dense = Folder.File("dense.model");
        File.WriteAllBytes(dense, new byte[3 * sizeof(float)]);
        var sparse = Directory.CreateDirectory(Folder.File("sparse.model")).FullName;
        var keys = Enumerable.Range(0, 1000).Select(i => (long)i * 3989).ToArray();
        File.WriteAllBytes(Path.Combine(sparse, "key"), keys.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(Path.Combine(sparse, "emb_vector"), Enumerable.Range(0, 2000).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray());
        var onnx = Folder.File("large.onnx");

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
}
