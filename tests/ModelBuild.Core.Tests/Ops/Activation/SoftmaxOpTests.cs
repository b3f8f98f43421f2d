using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Type and shape inference of SoftMax and LogSoftmax.</summary>
public sealed class SoftmaxOpTests
{
    [Fact]
    public void SoftMax_needs_floats_and_an_axis_in_range()
    {
        var integers = Assert.Throws<InferenceException>(() => Builder.Make(ActivationOps.SoftMax, [Parameter(ElementType.I32, "2,3")]));
        var axis = Assert.Throws<InferenceException>(() => Builder.Make(ActivationOps.LogSoftmax, [Parameter(ElementType.F32, "2,3")], ("axis", -3L)));
        var dynamic = Builder.Make(ActivationOps.SoftMax, [Parameter(ElementType.F16, "...")], ("axis", 5L));

        Assert.Contains("i32", integers.Message, StringComparison.Ordinal);
        Assert.Contains("axis -3", axis.Message, StringComparison.Ordinal);
        Assert.False(dynamic.Shape.IsRankStatic);
    }
}
