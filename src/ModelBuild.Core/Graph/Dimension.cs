using System.Globalization;

namespace ModelBuild.Core.Graph;

/// <summary>
/// One dimension of a partial shape: an interval [Min, Max]. Static when Min == Max; unbounded
/// above when Max is <see cref="Unbounded"/>. Fully dynamic is [0, Unbounded], written "?" (or -1 in port dims).
/// </summary>
public readonly record struct Dimension
{
    public const long Unbounded = long.MaxValue;

    public Dimension(long min, long max)
    {
        if (min < 0 || max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(min), $"Invalid dimension interval [{min}, {max}].");
        }

        Min = min;
        Max = max;
    }

    public long Min { get; }

    public long Max { get; }

    public static Dimension Dynamic => new(0, Unbounded);

    public static Dimension Of(long length) => new(length, length);

    public bool IsStatic => Min == Max;

    public bool IsDynamic => !IsStatic;

    public bool IsFullyDynamic => Min == 0 && Max == Unbounded;

    /// <summary>The length of a static dimension.</summary>
    public long Length => IsStatic ? Min : throw new InvalidOperationException("The dimension is not static.");

    public static implicit operator Dimension(long length) => Of(length);

    public bool Contains(long value) => value >= Min && value <= Max;

    /// <summary>True when the two intervals overlap: some length satisfies both.</summary>
    public bool IsCompatible(Dimension other) => Math.Max(Min, other.Min) <= Math.Min(Max, other.Max);

    /// <summary>The intersection of two compatible dimensions (what both constrain it to), or null.</summary>
    public Dimension? Merge(Dimension other)
    {
        var min = Math.Max(Min, other.Min);
        var max = Math.Min(Max, other.Max);
        return min <= max ? new Dimension(min, max) : null;
    }

    public static Dimension operator +(Dimension a, Dimension b) =>
        new(SaturatingAdd(a.Min, b.Min), SaturatingAdd(a.Max, b.Max));

    public static Dimension operator -(Dimension a, Dimension b)
    {
        var min = b.Max == Unbounded ? 0 : Math.Max(0, a.Min - b.Max);
        var max = a.Max == Unbounded ? Unbounded : Math.Max(0, a.Max - b.Min);
        return new(min, Math.Max(min, max));
    }

    public static Dimension operator *(Dimension a, Dimension b) =>
        new(SaturatingMultiply(a.Min, b.Min), SaturatingMultiply(a.Max, b.Max));

    /// <summary>Floor division by a positive static divisor.</summary>
    public Dimension FloorDivide(long divisor) =>
        new(Min / divisor, Max == Unbounded ? Unbounded : Max / divisor);

    /// <summary>Ceiling division by a positive static divisor.</summary>
    public Dimension CeilDivide(long divisor) =>
        new((Min + divisor - 1) / divisor, Max == Unbounded ? Unbounded : (Max + divisor - 1) / divisor);

    /// <summary>Text as in a Parameter's <c>shape</c> attribute: N, ?, a..b, a.., ..b.</summary>
    public override string ToString()
    {
        if (IsStatic)
        {
            return Min.ToString(CultureInfo.InvariantCulture);
        }

        if (IsFullyDynamic)
        {
            return "?";
        }

        var min = Min == 0 ? "" : Min.ToString(CultureInfo.InvariantCulture);
        var max = Max == Unbounded ? "" : Max.ToString(CultureInfo.InvariantCulture);
        return $"{min}..{max}";
    }

    /// <summary>Parses N, ?, -1, a..b, a.., ..b.</summary>
    public static Dimension Parse(string text)
    {
        text = text.Trim();
        if (text is "?" or "-1")
        {
            return Dynamic;
        }

        var range = text.IndexOf("..", StringComparison.Ordinal);
        if (range < 0)
        {
            var length = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            return Of(length);
        }

        var low = text[..range].Trim();
        var high = text[(range + 2)..].Trim();
        var min = low.Length == 0 ? 0 : long.Parse(low, NumberStyles.None, CultureInfo.InvariantCulture);
        var max = high.Length == 0 ? Unbounded : long.Parse(high, NumberStyles.None, CultureInfo.InvariantCulture);
        return new Dimension(min, max);
    }

    private static long SaturatingAdd(long a, long b) =>
        a == Unbounded || b == Unbounded || a > Unbounded - b ? Unbounded : a + b;

    private static long SaturatingMultiply(long a, long b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        return a == Unbounded || b == Unbounded || a > Unbounded / b ? Unbounded : a * b;
    }
}
