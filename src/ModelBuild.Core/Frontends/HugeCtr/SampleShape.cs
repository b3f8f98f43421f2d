namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// The shape of one sample of a tensor, without the batch dimension: what HugeCTR's layers record
/// for every tensor ([d] for 2-D tensors, [a, b] for 3-D, [1, f, t] for SequenceMask's 4-D mask).
/// Every shape constant the converter writes is derived from these.
/// </summary>
public sealed class SampleShape : IEquatable<SampleShape>
{
    private readonly long[] _dims;

    private SampleShape(long[] dims) => _dims = dims;

    public int Rank => _dims.Length;

    /// <summary>A 2-D tensor [batch, d].</summary>
    public bool IsFlat => _dims.Length == 1;

    public long this[int index] => _dims[index];

    public long Last => _dims[^1];

    public IReadOnlyList<long> Dims => _dims;

    public static SampleShape Of(params long[] dims) => new(dims.Length > 0 ? dims : throw new ArgumentException("A sample shape has at least one dimension.", nameof(dims)));

    /// <summary>The same shape with dimension <paramref name="index"/> replaced.</summary>
    public SampleShape With(int index, long value)
    {
        var dims = (long[])_dims.Clone();
        dims[index] = value;
        return new SampleShape(dims);
    }

    public SampleShape WithLast(long value) => With(_dims.Length - 1, value);

    public bool Equals(SampleShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as SampleShape);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var dim in _dims)
        {
            hash.Add(dim);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _dims)}]";
}
