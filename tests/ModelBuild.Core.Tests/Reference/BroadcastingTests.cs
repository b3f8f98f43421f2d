using ModelBuild.Core.Reference;
using Xunit;

namespace ModelBuild.Core.Tests.Reference;

/// <summary>The run-by-run plan of a broadcast reads every operand element the per-element index map reads.</summary>
public sealed class BroadcastingTests
{
    public static TheoryData<long[], long[], long[]> Operands() => new()
    {
        { [2, 3, 4, 5], [2, 3, 4, 5], [1, 3, 1, 1] },
        { [2, 3, 4, 5], [2, 3, 4, 5], [] },
        { [2, 3, 4, 5], [5], [2, 3, 4, 1] },
        { [4, 1, 6], [4, 1, 6], [1, 1, 1] },
        { [3, 4, 5], [3, 1, 5], [1, 4, 1] },
        { [1, 1], [1], [1, 1] },
        { [2, 0, 3], [2, 0, 3], [3] },
    };

    [Theory]
    [MemberData(nameof(Operands))]
    public void Plan_runs_read_what_the_index_map_reads(long[] output, long[] a, long[] b)
    {
        var plan = new BroadcastPlan(output, a, b);
        var maps = new[] { Broadcasting.IndexMap(output, a), Broadcasting.IndexMap(output, b) };

        Assert.Equal(maps[0].LongLength, plan.Count);
        for (var operand = 0; operand < 2; operand++)
        {
            Assert.Contains(plan.RunStrides[operand], new[] { 0, 1 });
            for (long i = 0; i < plan.Count; i++)
            {
                var read = plan.RunStart(operand, i / plan.RunLength) + i % plan.RunLength * plan.RunStrides[operand];
                Assert.Equal(maps[operand][i], read);
            }
        }
    }

    [Fact]
    public void A_per_channel_operand_gives_runs_of_whole_planes()
    {
        var plan = new BroadcastPlan([2, 8, 7, 7], [2, 8, 7, 7], [1, 8, 1, 1]);

        Assert.Equal(49, plan.RunLength);
        Assert.Equal([1, 0], plan.RunStrides);
    }
}
