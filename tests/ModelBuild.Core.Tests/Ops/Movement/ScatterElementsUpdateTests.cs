using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using Xunit;
using static ModelBuild.Core.Tests.Helpers.OpGraph;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>ScatterElementsUpdate kernel behaviour no ONNX translation produces (no initial values, mean), checked against the examples of the OpenVINO op specification.</summary>
public sealed class ScatterElementsUpdateTests
{
    [Fact]
    public void ScatterElementsUpdate_sum_counts_negative_indices_from_the_end()
    {
        var y = ScatterElements("sum", useInitialValue: true, [1, 0, 0, -2, -1, 2]);

        Assert.Equal([52f, 13f, 104f, 76f], y.As<float>());
    }

    [Fact]
    public void ScatterElementsUpdate_without_initial_values_ignores_the_touched_data()
    {
        var y = ScatterElements("sum", useInitialValue: false, [1, 0, 0, 2, 3, 2]);

        Assert.Equal([50f, 10f, 100f, 70f], y.As<float>());
    }

    [Fact]
    public void ScatterElementsUpdate_integer_mean_rounds_down()
    {
        var data = Tensor.FromArray([2, 3, 4, 6], 4);
        var updates = Tensor.FromArray([10, 20, 30, 40, 70, 60], 6);
        var indices = Tensor.FromArray([1L, 0L, 0L, 2L, 3L, 2L], 6);

        var y = Run(MovementOps.ScatterElementsUpdate, [("reduction", "mean"), ("use_init_val", true)], data, indices, updates, Tensor.FromArray([0L], []));

        // (2+20+30)/3, (3+10)/2, (4+40+60)/3, (6+70)/2, each rounded down.
        Assert.Equal([17, 6, 34, 38], y.As<int>());
    }

    private static Tensor ScatterElements(string reduction, bool useInitialValue, long[] indices) =>
        Run(MovementOps.ScatterElementsUpdate, [("reduction", reduction), ("use_init_val", useInitialValue)],
            Tensor.FromArray([2f, 3f, 4f, 6f], 4), Tensor.FromArray(indices, 6), Tensor.FromArray([10f, 20f, 30f, 40f, 70f, 60f], 6), Tensor.FromArray([0L], 1));
}
