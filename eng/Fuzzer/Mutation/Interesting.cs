namespace ModelBuild.Fuzzing.Mutation;

/// <summary>Values that find bugs more often than uniform random ones: boundaries, overflows, special floats.</summary>
internal static class Interesting
{
    public static readonly long[] Integers =
    [
        0, 1, -1, 2, 3, -2, 4, 7, 8, 16, 64, 255, 256, 1023, 1024, 4096, 65535, 65536, 1 << 20, 1 << 24,
        int.MaxValue, int.MinValue, uint.MaxValue, 1L << 31, 1L << 32, 1L << 40, 1L << 53, 1L << 62,
        long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1, -1_000_000,
    ];

    public static readonly float[] Floats =
    [
        0f, -0f, 1f, -1f, 0.5f, 2f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue,
        float.MinValue, float.Epsilon, 65504f, 1e10f, -1e10f, 1e-7f,
    ];

    /// <summary>Strings for names and string attributes: empty, control characters XML cannot carry, odd Unicode, separators, long.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\u0018", "a\u0000b", "\u0001\u0002", "\t\n\r", "x,y", "a\\,b", "<&>\"'", "\uFFFE", "\uFFFF", "\uD800", "\uDC00x",
        "é€漢字", "\u200B", "..", "../x", "/", "NaN", "-1", "constant", "linear", "nearest", "cubic", "half_pixel", "asymmetric",
        "round_prefer_floor", "SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET", "DCR", "CRD", "edge", "reflect", "wrap", "sum", "mean", "max",
        new string('n', 300),
    ];

    public static long Integer(Random random) => random.Next(4) switch
    {
        0 => random.Next(-4, 9),
        1 => random.NextInt64(-100_000, 100_000),
        _ => Integers[random.Next(Integers.Length)],
    };

    /// <summary>A small count or dimension most of the time, an extreme one otherwise.</summary>
    public static long Dimension(Random random) => random.Next(3) == 0 ? Integer(random) : random.Next(0, 9);

    public static float Float(Random random) => random.Next(2) == 0 ? Floats[random.Next(Floats.Length)] : (float)(random.NextDouble() * 20 - 10);

    public static string String(Random random) => Strings[random.Next(Strings.Length)];

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
