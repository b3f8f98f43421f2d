using System.Collections;
using System.Globalization;

namespace ModelBuild.Core.Graph;

/// <summary>
/// A shape that may be partly unknown: a list of <see cref="Dimension"/>s, or nothing at all
/// (dynamic rank). Immutable.
/// </summary>
public sealed class PartialShape : IEquatable<PartialShape>, IReadOnlyList<Dimension>
{
    private readonly Dimension[]? _dims;

    private PartialShape(Dimension[]? dims)
    {
        RequireRank(dims?.Length ?? 0);
        _dims = dims;
    }

    public static PartialShape DynamicRank { get; } = new(null);

    public static PartialShape Scalar { get; } = new([]);

    public static PartialShape Of(params Dimension[] dims) => new((Dimension[])dims.Clone());

    public static PartialShape Of(IEnumerable<Dimension> dims) => new(dims.ToArray());

    public static PartialShape Static(params long[] dims) => new(Array.ConvertAll(dims, Dimension.Of));

    public static PartialShape Static(IEnumerable<long> dims) => new(dims.Select(Dimension.Of).ToArray());

    /// <summary>A shape of known rank with every dimension dynamic (the rank checked before anything is allocated: it may come from a declared length).</summary>
    public static PartialShape DynamicOfRank(int rank)
    {
        RequireRank(rank);
        return new(Enumerable.Repeat(Dimension.Dynamic, rank).ToArray());
    }

    public bool IsRankStatic => _dims is not null;

    private static void RequireRank(long rank)
    {
        if (rank > EvaluationBudget.ShapeLengthLimit)
        {
            throw new InferenceException($"A shape of rank {rank} exceeds the largest rank ModelBuild handles, {EvaluationBudget.ShapeLengthLimit}.");
        }
    }

    public bool IsStatic => _dims is not null && Array.TrueForAll(_dims, d => d.IsStatic);

    /// <summary>The rank; only valid when <see cref="IsRankStatic"/>.</summary>
    public int Rank => _dims?.Length ?? throw new InvalidOperationException("The rank is dynamic.");

    public int Count => Rank;

    public Dimension this[int index] => (_dims ?? throw new InvalidOperationException("The rank is dynamic."))[index];

    /// <summary>The dimensions of a static shape.</summary>
    public long[] ToStatic()
    {
        if (!IsStatic)
        {
            throw new InvalidOperationException($"The shape {this} is not static.");
        }

        return Array.ConvertAll(_dims!, d => d.Min);
    }

    public Dimension[] ToArray() => (Dimension[])(_dims ?? throw new InvalidOperationException("The rank is dynamic.")).Clone();

    /// <summary>The product of all dimensions as an interval.</summary>
    public Dimension ElementCount()
    {
        if (_dims is null)
        {
            return Dimension.Dynamic;
        }

        var count = Dimension.Of(1);
        foreach (var dim in _dims)
        {
            count *= dim;
        }

        return count;
    }

    /// <summary>True when some static shape satisfies both.</summary>
    public bool IsCompatible(PartialShape other)
    {
        if (_dims is null || other._dims is null)
        {
            return true;
        }

        if (_dims.Length != other._dims.Length)
        {
            return false;
        }

        for (var i = 0; i < _dims.Length; i++)
        {
            if (!_dims[i].IsCompatible(other._dims[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The most precise shape both describe, or null when they contradict each other.</summary>
    public PartialShape? Merge(PartialShape other)
    {
        if (_dims is null)
        {
            return other;
        }

        if (other._dims is null)
        {
            return this;
        }

        if (_dims.Length != other._dims.Length)
        {
            return null;
        }

        var merged = new Dimension[_dims.Length];
        for (var i = 0; i < merged.Length; i++)
        {
            var dim = _dims[i].Merge(other._dims[i]);
            if (dim is null)
            {
                return null;
            }

            merged[i] = dim.Value;
        }

        return new PartialShape(merged);
    }

    /// <summary>A normalized axis in [0, rank) for an axis that may count from the end.</summary>
    public int NormalizeAxis(long axis)
    {
        var rank = Rank;
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for rank {rank}.");
        }

        return (int)normalized;
    }

    public IEnumerator<Dimension> GetEnumerator() =>
        ((IEnumerable<Dimension>)(_dims ?? throw new InvalidOperationException("The rank is dynamic."))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(PartialShape? other)
    {
        if (other is null)
        {
            return false;
        }

        if (_dims is null || other._dims is null)
        {
            return _dims is null && other._dims is null;
        }

        return _dims.AsSpan().SequenceEqual(other._dims);
    }

    public override bool Equals(object? obj) => obj is PartialShape other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_dims?.Length ?? -1);
        foreach (var dim in _dims ?? [])
        {
            hash.Add(dim);
        }

        return hash.ToHashCode();
    }

    /// <summary>The IR form of a Parameter shape: "1,?,1..10"; "..." for dynamic rank; "" for a scalar.</summary>
    public override string ToString() => _dims is null ? "..." : string.Join(",", _dims);

    /// <summary>Human-readable form for messages: [1,?,3].</summary>
    public string ToDisplayString() => _dims is null ? "[...]" : $"[{string.Join(",", _dims)}]";

    /// <summary>Parses the IR form (see <see cref="ToString"/>).</summary>
    public static PartialShape Parse(string text)
    {
        text = text.Trim();
        if (text == "...")
        {
            return DynamicRank;
        }

        if (text.Length == 0)
        {
            return Scalar;
        }

        return new PartialShape(text.Split(',').Select(Dimension.Parse).ToArray());
    }

    /// <summary>Formats a static shape the way Const <c>shape</c> attributes are written: "64, 3, 7, 7".</summary>
    public static string FormatStatic(IEnumerable<long> dims) =>
        string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
