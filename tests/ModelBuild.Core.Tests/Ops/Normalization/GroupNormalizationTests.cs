using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of GroupNormalization.</summary>
public sealed class GroupNormalizationTests
{
    [Fact]
    public void GroupNormalization_rejects_channels_that_do_not_split_into_groups()
    {
        var parameter = Parameter(PartialShape.Static(6));

        var error = Assert.Throws<InferenceException>(() => new GraphBuilder().Make(NormalizationOps.GroupNormalization,
            [Parameter(PartialShape.Of(1, 6, Dimension.Dynamic)), parameter, parameter], ("num_groups", 4L), ("epsilon", 1e-5)));

        Assert.Contains("groups", error.Message, StringComparison.Ordinal);
    }
}
