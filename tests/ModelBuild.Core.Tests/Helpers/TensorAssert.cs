using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>Assertions on evaluated tensors.</summary>
public static class TensorAssert
{
    /// <summary>Checks the shape and every element against expected values, within an absolute tolerance.</summary>
    public static void Close(long[] shape, double[] expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(shape, actual.Shape);
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }
}
