using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of MVN.</summary>
public sealed class MvnTests
{
    [Fact]
    public void Mvn_rejects_an_axis_beyond_the_rank()
    {
        var b = new GraphBuilder();

        var error = Assert.Throws<InferenceException>(() => b.Make(NormalizationOps.Mvn, [Parameter(PartialShape.Static(2, 3)), b.Int64s(2)],
            ("eps", 1e-9), ("normalize_variance", true), ("eps_mode", "inside_sqrt")));

        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }
}
