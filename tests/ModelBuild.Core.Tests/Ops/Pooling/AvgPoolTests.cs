using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of AvgPool on partial shapes.</summary>
public sealed class AvgPoolTests
{
    [Fact]
    public void AvgPool_same_upper_on_a_dynamic_rank_input_knows_only_the_rank()
    {
        var y = new GraphBuilder().Make(PoolingOps.AvgPool, [Parameter(PartialShape.DynamicRank)],
            ("kernel", new long[] { 2 }), ("strides", new long[] { 2 }), ("pads_begin", new long[] { 0 }), ("pads_end", new long[] { 0 }),
            ("exclude-pad", true), ("auto_pad", "same_upper"));

        Assert.Equal(PartialShape.DynamicOfRank(3), y.Shape);
    }

    [Fact]
    public void AvgPool_rejects_a_kernel_larger_than_the_padded_input()
    {
        var error = Assert.Throws<InferenceException>(() => new GraphBuilder().Make(PoolingOps.AvgPool, [Parameter(PartialShape.Static(1, 1, 2))],
            ("kernel", new long[] { 3 }), ("strides", new long[] { 1 }), ("pads_begin", new long[] { 0 }), ("pads_end", new long[] { 0 }), ("exclude-pad", true)));

        Assert.Contains("does not fit", error.Message, StringComparison.Ordinal);
    }
}
