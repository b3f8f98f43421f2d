using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Reference;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>
/// Kernel behaviour no ONNX translation produces (symmetric padding, scatter without initial values,
/// mean and sub reductions), checked against the examples of the OpenVINO op specifications.
/// </summary>
public sealed class SlicingOpKernelTests
{
    private static readonly Tensor Grid = Tensor.FromArray(Enumerable.Range(1, 12).Select(i => (float)i).ToArray(), 3, 4);

    [Theory]
    [InlineData("edge", new[] { 2f, 3f, 4f, 4f, 4f, 4f, 2f, 3f, 4f, 4f, 4f, 4f, 2f, 3f, 4f, 4f, 4f, 4f, 6f, 7f, 8f, 8f, 8f, 8f })]
    [InlineData("reflect", new[] { 10f, 11f, 12f, 11f, 10f, 9f, 6f, 7f, 8f, 7f, 6f, 5f, 2f, 3f, 4f, 3f, 2f, 1f, 6f, 7f, 8f, 7f, 6f, 5f })]
    [InlineData("symmetric", new[] { 6f, 7f, 8f, 8f, 7f, 6f, 2f, 3f, 4f, 4f, 3f, 2f, 2f, 3f, 4f, 4f, 3f, 2f, 6f, 7f, 8f, 8f, 7f, 6f })]
    public void Pad_with_mixed_positive_and_negative_pads(string mode, float[] expected)
    {
        var y = Run(SlicingOps.Pad, [("pad_mode", mode)], Grid, Tensor.FromArray([2L, -1L], 2), Tensor.FromArray([-1L, 3L], 2));

        Assert.Equal([4L, 6L], y.Shape);
        Assert.Equal(expected, y.As<float>());
    }

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

        var y = Run(IndexingOps.ScatterElementsUpdate, [("reduction", "mean"), ("use_init_val", true)], data, indices, updates, Tensor.FromArray([0L], []));

        // (2+20+30)/3, (3+10)/2, (4+40+60)/3, (6+70)/2, each rounded down.
        Assert.Equal([17, 6, 34, 38], y.As<int>());
    }

    [Fact]
    public void ScatterNDUpdate15_sub_subtracts_every_update_in_turn()
    {
        var y = Run(IndexingOps.ScatterNDUpdateWithReduction, [("reduction", "sub")],
            Tensor.FromArray([1, 2, 3, 4], 4), Tensor.FromArray([0L, 2L, -3L, -3L, 0L], 5, 1), Tensor.FromArray([10, 20, 30, 40, 50], 5));

        Assert.Equal([-59, -68, -17, 4], y.As<int>());
    }

    private static Tensor ScatterElements(string reduction, bool useInitialValue, long[] indices) =>
        Run(IndexingOps.ScatterElementsUpdate, [("reduction", reduction), ("use_init_val", useInitialValue)],
            Tensor.FromArray([2f, 3f, 4f, 6f], 4), Tensor.FromArray(indices, 6), Tensor.FromArray([10f, 20f, 30f, 40f, 70f, 60f], 6), Tensor.FromArray([0L], 1));

    private static Tensor Run(OpDefinition op, (string Name, object Value)[] attributes, params Tensor[] inputs) =>
        ReferenceEvaluator.Evaluate(op, Attributes.Create(op.Type, op.AttributeSpecs, attributes.ToDictionary(a => a.Name, a => a.Value)), [], null, inputs)[0];
}
