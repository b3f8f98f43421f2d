using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>ScatterNDUpdate-15 kernel behaviour no ONNX translation produces (sub), checked against the OpenVINO op specification.</summary>
public sealed class ScatterNDUpdateTests
{
    [Fact]
    public void ScatterNDUpdate15_sub_subtracts_every_update_in_turn()
    {
        var y = Run(MovementOps.ScatterNDUpdateWithReduction, [("reduction", "sub")],
            Tensor.FromArray([1, 2, 3, 4], 4), Tensor.FromArray([0L, 2L, -3L, -3L, 0L], 5, 1), Tensor.FromArray([10, 20, 30, 40, 50], 5));

        Assert.Equal([-59, -68, -17, 4], y.As<int>());
    }
}
