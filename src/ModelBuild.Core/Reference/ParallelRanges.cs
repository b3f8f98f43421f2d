namespace ModelBuild.Core.Reference;

/// <summary>
/// Splits element-wise work over all cores: [0, count) is cut into ranges of at least <see cref="MinimumRange"/>
/// elements (smaller work stays on the calling thread, where starting tasks would cost more than they save).
/// </summary>
public static class ParallelRanges
{
    public const long MinimumRange = 1 << 15;

    /// <summary>Calls <paramref name="body"/>(start, end) for ranges covering [0, <paramref name="count"/>), in parallel.</summary>
    public static void For(long count, Action<long, long> body)
    {
        var ranges = (int)Math.Min(4L * Environment.ProcessorCount, count / MinimumRange);
        if (ranges <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, ranges, range => body(count * range / ranges, count * (range + 1) / ranges));
    }
}
