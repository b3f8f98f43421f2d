using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// The sparse model folder of one embedding layer: <c>key</c> (int64 per stored key) and
/// <c>emb_vector</c> (float32 × vector size per key, same order). It becomes the two tables of
/// hugectr2onnx: an embedding table of vocabulary + 1 rows (row 0 zero, for keys the model never saw;
/// row r the vector of record r) and a key→row table indexed by key. Both are views: the embedding table
/// is the emb_vector file between zero padding, and the key→row table is computed on read from the
/// sorted keys, so neither is ever materialized — the key→row table is as long as the key space, which
/// for real vocabularies is hundreds of megabytes.
/// </summary>
internal sealed class SparseModelFolder
{
    private const int ChunkKeys = 1 << 20;

    private readonly LayerConfig _layer;
    private readonly MappedFile _keys;
    private readonly long _keySpace;
    private readonly KeyToRowData _keyToRow;

    private SparseModelFolder(LayerConfig layer, MappedFile keys, long keySpace, TensorData embeddingTable)
    {
        _layer = layer;
        _keys = keys;
        _keySpace = keySpace;
        _keyToRow = new KeyToRowData(keySpace);
        EmbeddingTable = embeddingTable;
    }

    /// <summary>float32 [vocabulary + 1, vector size].</summary>
    public TensorData EmbeddingTable { get; }

    /// <summary>int64 [key space]: the embedding-table row of each key, 0 for keys not in the file.</summary>
    public TensorData KeyToRow => _keyToRow;

    /// <summary>
    /// Opens the folder and checks its file sizes against the layer: whole records, as many vectors as
    /// keys, no more keys than the vocabulary. Keys are read later by <see cref="LoadKeys"/>.
    /// </summary>
    /// <param name="keySpace">Keys must lie in [0, keySpace): this table's and every earlier table's vocabulary, as hugectr2onnx sizes it.</param>
    public static SparseModelFolder Open(string folder, LayerConfig layer, long vocabulary, long vectorSize, long keySpace, MappedFileSet files)
    {
        var fullPath = Path.GetFullPath(folder);
        if (!Directory.Exists(fullPath))
        {
            throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile, $"The sparse model folder of {layer.Description} does not exist.", fullPath);
        }

        var keys = files.Get(RequiredFile(fullPath, "key", layer));
        var vectors = files.Get(RequiredFile(fullPath, "emb_vector", layer));
        if (keys.Length % sizeof(long) != 0)
        {
            throw SizeMismatch(keys.Path, $"holds {keys.Length} bytes, not a whole number of 8-byte keys");
        }

        var count = keys.Length / sizeof(long);
        var rowBytes = EvaluationBudget.Product(vectorSize, sizeof(float));
        if (vectors.Length != EvaluationBudget.Product(count, rowBytes))
        {
            throw SizeMismatch(vectors.Path,
                $"holds {vectors.Length} bytes; {count} keys of {layer.Description}, whose embedding_vec_size is {vectorSize}, need {count * rowBytes}");
        }

        if (count > vocabulary)
        {
            throw SizeMismatch(keys.Path,
                $"holds {count} keys, more than the {vocabulary} rows of {layer.Description} (max_vocabulary_size_global)");
        }

        if (vocabulary >= long.MaxValue / 2 || !EvaluationBudget.IsBackedEnough(EvaluationBudget.Product(vocabulary - count, rowBytes), vectors.Length))
        {
            throw SizeMismatch(vectors.Path,
                $"holds {count} of the {vocabulary} rows {layer.Description} declares (max_vocabulary_size_global); the {vocabulary - count} rows of zeros "
                + $"the IR would hold are more than {EvaluationBudget.UnbackedBytesBase >> 30} GiB plus {EvaluationBudget.UnbackedBytesPerSourceByte}× the file");
        }

        if (!EvaluationBudget.IsBackedEnough(EvaluationBudget.Product(keySpace, sizeof(long)), keys.Length))
        {
            throw SizeMismatch(keys.Path,
                $"holds {count} keys; the key space of {keySpace} keys (the vocabularies up to {layer.Description}) would make a key→row table of more than "
                + $"{EvaluationBudget.UnbackedBytesBase >> 30} GiB plus {EvaluationBudget.UnbackedBytesPerSourceByte}× the file");
        }

        var table = new ConcatenatedTensorData(
            new ZeroTensorData(rowBytes),
            new MappedTensorData(vectors, 0, vectors.Length),
            new ZeroTensorData((vocabulary - count) * rowBytes));
        return new SparseModelFolder(layer, keys, keySpace, table);
    }

    /// <summary>Reads and sorts the keys; a key outside the key space, or stored twice, is an error (MB4005).</summary>
    public void LoadKeys()
    {
        var count = _keys.Length / sizeof(long);
        var keys = new long[count];
        for (long start = 0; start < count; start += ChunkKeys)
        {
            var chunk = (int)Math.Min(ChunkKeys, count - start);
            _keys.Read(start * sizeof(long), MemoryMarshal.AsBytes(keys.AsSpan((int)start, chunk)));
        }

        var rows = new int[count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] < 0 || keys[i] >= _keySpace)
            {
                throw KeyError($"key {keys[i]} (record {i + 1}) lies outside the key range [0, {_keySpace}) of {_layer.Description}");
            }

            rows[i] = i + 1;
        }

        Array.Sort(keys, rows);
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i] == keys[i - 1])
            {
                throw KeyError($"key {keys[i]} is stored twice (records {Math.Min(rows[i], rows[i - 1])} and {Math.Max(rows[i], rows[i - 1])}) for {_layer.Description}");
            }
        }

        _keyToRow.Load(keys, rows);
    }

    private ModelBuildException KeyError(string message) => new(DiagnosticCode.HugeCtrKeyOutOfRange, $"The sparse model's {message}.", _keys.Path);

    private static string RequiredFile(string folder, string name, LayerConfig layer)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path)
            ? path
            : throw new ModelBuildException(DiagnosticCode.HugeCtrMissingFile, $"The sparse model folder of {layer.Description} has no '{name}' file.", folder);
    }

    private static ModelBuildException SizeMismatch(string path, string message) =>
        new(DiagnosticCode.HugeCtrSizeMismatch, $"The file {message}.", path);

    /// <summary>int64 per key of the key space: the row of the key, or 0. Computed from the sorted keys on each read.</summary>
    private sealed class KeyToRowData(long keySpace) : TensorData
    {
        private long[]? _keys;
        private int[]? _rows;

        public override long Length => keySpace * sizeof(long);

        public void Load(long[] sortedKeys, int[] rows)
        {
            _keys = sortedKeys;
            _rows = rows;
        }

        public override void Read(long offset, Span<byte> destination)
        {
            if (offset < 0 || offset > Length - destination.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + destination.Length}) are outside a {Length}-byte payload.");
            }

            var keys = _keys ?? throw new InvalidOperationException("The sparse model's keys have not been loaded.");
            destination.Clear();
            var end = offset + destination.Length;
            var index = Array.BinarySearch(keys, offset / sizeof(long));
            Span<byte> element = stackalloc byte[sizeof(long)];
            for (var k = index >= 0 ? index : ~index; k < keys.Length && keys[k] * sizeof(long) < end; k++)
            {
                // A read need not be aligned to elements: copy the part of this element's bytes it covers.
                BinaryPrimitives.WriteInt64LittleEndian(element, _rows![k]);
                var elementStart = keys[k] * sizeof(long);
                var from = Math.Max(elementStart, offset);
                var to = Math.Min(elementStart + sizeof(long), end);
                element[(int)(from - elementStart)..(int)(to - elementStart)].CopyTo(destination[(int)(from - offset)..]);
            }
        }
    }
}
