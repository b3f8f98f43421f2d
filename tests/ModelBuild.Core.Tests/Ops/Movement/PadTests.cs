using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>Pad kernel behaviour no ONNX translation produces (symmetric padding), checked against the examples of the OpenVINO op specification.</summary>
public sealed class PadTests
{
    private static readonly Tensor Grid = Tensor.FromArray(Enumerable.Range(1, 12).Select(i => (float)i).ToArray(), 3, 4);

    [Theory]
    [InlineData("edge", new[] { 2f, 3f, 4f, 4f, 4f, 4f, 2f, 3f, 4f, 4f, 4f, 4f, 2f, 3f, 4f, 4f, 4f, 4f, 6f, 7f, 8f, 8f, 8f, 8f })]
    [InlineData("reflect", new[] { 10f, 11f, 12f, 11f, 10f, 9f, 6f, 7f, 8f, 7f, 6f, 5f, 2f, 3f, 4f, 3f, 2f, 1f, 6f, 7f, 8f, 7f, 6f, 5f })]
    [InlineData("symmetric", new[] { 6f, 7f, 8f, 8f, 7f, 6f, 2f, 3f, 4f, 4f, 3f, 2f, 2f, 3f, 4f, 4f, 3f, 2f, 6f, 7f, 8f, 8f, 7f, 6f })]
    public void Pad_with_mixed_positive_and_negative_pads(string mode, float[] expected)
    {
        var y = Run(MovementOps.Pad, [("pad_mode", mode)], Grid, Tensor.FromArray([2L, -1L], 2), Tensor.FromArray([-1L, 3L], 2));

        Assert.Equal([4L, 6L], y.Shape);
        Assert.Equal(expected, y.As<float>());
    }
}
