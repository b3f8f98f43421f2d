using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Weights;

public sealed class Fp16KernelsTests
{
    [Fact]
    public void Vectorized_count_matches_the_definition()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (i % 7) switch
        {
            0 => 70000f,
            1 => -1e-9f,
            2 => 0f,
            3 => float.NaN,
            _ => i * 0.5f,
        }).ToArray();
        var overflow = values.Count(v => Math.Abs(v) > 65504);
        var underflow = values.Count(v => Math.Abs(v) > 0 && Math.Abs(v) < 5.9604644775390625e-8);

        Assert.Equal(new OutOfRange(overflow, underflow), Fp16Kernels.CountOutOfRange(values));
    }
}
