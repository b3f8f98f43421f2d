using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of BatchNormInference on partial shapes.</summary>
public sealed class BatchNormInferenceTests
{
    [Fact]
    public void BatchNormInference_learns_the_channel_count_from_its_parameters()
    {
        var parameter = Parameter(PartialShape.Static(6));

        var y = new GraphBuilder().Make(NormalizationOps.BatchNormInference, [Parameter(PartialShape.Of(2, Dimension.Dynamic, 4)), parameter, parameter, parameter, parameter], ("epsilon", 1e-5));

        Assert.Equal(PartialShape.Static(2, 6, 4), y.Shape);
    }
}
