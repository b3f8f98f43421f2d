using ModelBuild.Core.Graph;

namespace ModelBuild.Differential.Generators;

/// <summary>Random shapes, values and attribute choices for the generators. Shapes stay small: a case is about the op's rules, not its speed.</summary>
public static class RandomValues
{
    /// <summary>Element counts stay at or under this, whatever the rank.</summary>
    private const long MaxElements = 96;

    public static T Pick<T>(this Random random, params T[] choices) => choices[random.Next(choices.Length)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>A shape of the given rank: dims 1–4 (at most <see cref="MaxElements"/> elements), sometimes a 0 when <paramref name="allowEmpty"/>.</summary>
    public static long[] Shape(this Random random, int rank, bool allowEmpty = false, int minDim = 1, int maxDim = 4)
    {
        var shape = new long[rank];
        long count = 1;
        for (var d = 0; d < rank; d++)
        {
            var limit = Math.Max(minDim, Math.Min(maxDim, MaxElements / count));
            shape[d] = random.Next(minDim, (int)limit + 1);
            count *= shape[d];
        }

        if (allowEmpty && rank > 0 && random.Chance(0.08))
        {
            shape[random.Next(rank)] = 0;
        }

        return shape;
    }

    /// <summary>A shape of random rank in [<paramref name="minRank"/>, <paramref name="maxRank"/>].</summary>
    public static long[] AnyShape(this Random random, int minRank = 0, int maxRank = 6, bool allowEmpty = false, int minDim = 1) =>
        random.Shape(random.Next(minRank, maxRank + 1), allowEmpty, minDim);

    /// <summary>A shape that broadcasts with <paramref name="shape"/> (numpy rules): a suffix of it, some dims set to 1, sometimes with leading 1s added.</summary>
    public static long[] BroadcastPartner(this Random random, long[] shape)
    {
        var rank = random.Chance(0.3) ? random.Next(0, shape.Length + 1) : shape.Length;
        var partner = shape[(shape.Length - rank)..].Select(d => random.Chance(0.3) ? 1 : d).ToList();
        if (random.Chance(0.15) && shape.Length < 6)
        {
            partner.Insert(0, 1);
        }

        return [.. partner];
    }

    /// <summary>Floats uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Floats(this Random random, ElementType type, long[] shape, double low = -2, double high = 2)
    {
        var values = new double[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + (random.NextDouble() * (high - low));
        }

        return Tensor.FromDoubles(type, values, shape);
    }

    /// <summary>Floats away from zero: magnitude in [<paramref name="low"/>, <paramref name="high"/>), either sign.</summary>
    public static Tensor NonZeroFloats(this Random random, ElementType type, long[] shape, double low = 0.25, double high = 2)
    {
        var values = new double[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (low + (random.NextDouble() * (high - low))) * (random.Chance(0.5) ? -1 : 1);
        }

        return Tensor.FromDoubles(type, values, shape);
    }

    /// <summary>Multiples of 0.5 in [-4, 4]: exact ties for rounding, equal values for comparisons and argmax.</summary>
    public static Tensor Halves(this Random random, ElementType type, long[] shape)
    {
        var values = new double[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(-8, 9) / 2.0;
        }

        return Tensor.FromDoubles(type, values, shape);
    }

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Tensor Integers(this Random random, ElementType type, long[] shape, long low, long high)
    {
        var values = new long[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextInt64(low, high + 1);
        }

        return Tensor.FromInt64s(type, values, shape);
    }

    public static Tensor Booleans(this Random random, long[] shape)
    {
        var values = new bool[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Chance(0.5);
        }

        return new Tensor(ElementType.Boolean, shape, values);
    }

    /// <summary>Values of any element type, in a range every op of the family accepts.</summary>
    public static Tensor Values(this Random random, ElementType type, long[] shape) => type switch
    {
        ElementType.Boolean => random.Booleans(shape),
        ElementType.U8 or ElementType.U16 or ElementType.U32 or ElementType.U64 => random.Integers(type, shape, 0, 20),
        _ when type.IsInteger() => random.Integers(type, shape, -20, 20),
        _ => random.Floats(type, shape),
    };

    /// <summary>The distinct values 0..n-1 in random order (as floats): no ties, for sorts and top-k.</summary>
    public static Tensor Distinct(this Random random, ElementType type, long[] shape)
    {
        var count = (int)ShapeMath.ElementCount(shape);
        var order = Enumerable.Range(0, count).Select(i => (double)i - (count / 2)).OrderBy(_ => random.Next()).ToArray();
        return Tensor.FromDoubles(type, order, shape);
    }

    /// <summary>A random non-empty subset of the axes of a rank, in random order, each axis positive or negative.</summary>
    public static long[] Axes(this Random random, int rank, int? count = null)
    {
        var take = count ?? random.Next(1, rank + 1);
        return Enumerable.Range(0, rank).OrderBy(_ => random.Next()).Take(take)
            .Select(a => random.Chance(0.3) ? (long)(a - rank) : a).ToArray();
    }

    /// <summary>A random axis of <paramref name="rank"/>, positive or negative.</summary>
    public static long Axis(this Random random, int rank)
    {
        var axis = random.Next(rank);
        return random.Chance(0.3) ? axis - rank : axis;
    }

    public static long Normalize(long axis, int rank) => axis < 0 ? axis + rank : axis;

    public static Tensor Int64s(params long[] values) => Tensor.FromInt64s(ElementType.I64, values, [values.Length]);

    public static Tensor Int64Scalar(long value) => Tensor.FromInt64s(ElementType.I64, [value], []);
}
