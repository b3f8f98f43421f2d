using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of MaxPool on partial shapes.</summary>
public sealed class MaxPoolTests
{
    [Fact]
    public void MaxPool_gives_values_and_indices_the_pooled_shape()
    {
        var outputs = new GraphBuilder().MakeMulti(PoolingOps.MaxPool, [Parameter(PartialShape.Of(Dimension.Dynamic, 3, 9, Dimension.Dynamic))],
            ("strides", new long[] { 2, 2 }), ("pads_begin", new long[] { 0, 0 }), ("pads_end", new long[] { 0, 0 }), ("kernel", new long[] { 3, 3 }),
            ("rounding_type", "ceil"), ("index_element_type", ElementType.I32));

        var expected = PartialShape.Of(Dimension.Dynamic, 3, 4, AtLeast(1));
        Assert.Equal(expected, outputs[0].Shape);
        Assert.Equal(expected, outputs[1].Shape);
        Assert.Equal(ElementType.I32, outputs[1].Type);
    }
}
