using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Inference of DFT, IDFT and RDFT.</summary>
public sealed class FourierTransformOpTests
{
    [Fact]
    public void Rdft_halves_the_last_transformed_axis_and_dft_needs_complex_pairs()
    {
        var rdft = Builder.Make(SignalOps.Rdft, [Parameter(ElementType.F32, "2,10,?"), Builder.Int64s(1, -1), Builder.Int64s(-1, 9)]);
        var error = Assert.Throws<InferenceException>(() => Builder.Make(SignalOps.Dft, [Parameter(ElementType.F32, "4,3"), Builder.Int64s(0)]));

        Assert.Equal(PartialShape.Parse("2,10,5,2"), rdft.Shape);
        Assert.Contains("dimension of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dft_axes_count_without_the_pair_dimension()
    {
        var error = Assert.Throws<InferenceException>(() => Builder.Make(SignalOps.Idft, [Parameter(ElementType.F32, "4,3,2"), Builder.Int64s(2)]));

        Assert.Contains("axis 2 is out of range", error.Message, StringComparison.Ordinal);
    }
}
