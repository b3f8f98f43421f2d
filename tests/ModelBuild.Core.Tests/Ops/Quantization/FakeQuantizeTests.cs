using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>FakeQuantize-1 against the formula of OpenVINO's specification, worked out by hand.</summary>
public sealed class FakeQuantizeTests
{
    [Fact]
    public void Values_are_clamped_to_the_input_range_and_mapped_to_the_output_range()
    {
        // Input range [-1, 1] in 4 levels: steps of 2/3, output levels 0, 10, 20, 30.
        var x = Tensor.FromArray([-5f, -1f, -0.9f, -0.2f, 0.2f, 0.34f, 1f, 7f], 8);

        var y = OpGraph.Run(QuantizationOps.FakeQuantize, [("levels", 4L)], x, Scalar(-1), Scalar(1), Scalar(0), Scalar(30));

        // (x + 1) / 2 · 3: -0.9 → 0.15 → 0, -0.2 → 1.2 → 1, 0.2 → 1.8 → 2, 0.34 → 2.01 → 2; at or below -1 the low end, above 1 the high end.
        Assert.Equal([0f, 0f, 0f, 10f, 20f, 20f, 30f, 30f], y.As<float>());
    }

    [Fact]
    public void Ties_round_to_the_even_level()
    {
        // Input range [0, 256] in 257 levels: one level per integer (exact in binary), so x.5 is a tie.
        var x = Tensor.FromArray([0.5f, 1.5f, 2.5f, 178.5f], 4);

        var y = OpGraph.Run(QuantizationOps.FakeQuantize, [("levels", 257L)], x, Scalar(0), Scalar(256), Scalar(0), Scalar(256));

        Assert.Equal([0f, 2f, 2f, 178f], y.As<float>());
    }

    [Fact]
    public void Ranges_broadcast_per_channel()
    {
        var x = Tensor.FromArray([1f, 1f, 1f, 1f], 1, 2, 2);
        var low = Tensor.FromArray([0f, -4f], 1, 2, 1);
        var high = Tensor.FromArray([2f, 4f], 1, 2, 1);

        var y = OpGraph.Run(QuantizationOps.FakeQuantize, [("levels", 3L)], x, low, high, Scalar(-1), Scalar(1));

        // Channel 0: 1 is the middle of [0, 2] → level 1 → 0; channel 1: (1 + 4) / 8 · 2 = 1.25 → level 1 → 0.
        Assert.Equal([0f, 0f, 0f, 0f], y.As<float>());
        var shifted = OpGraph.Run(QuantizationOps.FakeQuantize, [("levels", 3L)], Tensor.FromArray([1.6f, 1.6f, 3.2f, 3.2f], 1, 2, 2), low, high, Scalar(-1), Scalar(1));
        Assert.Equal([1f, 1f, 1f, 1f], shifted.As<float>());
    }

    [Fact]
    public void The_data_type_is_kept_and_the_shape_is_the_broadcast_of_all_inputs()
    {
        var data = OpGraph.Parameter(ElementType.F16, "?,3,8,8");
        var ranges = OpGraph.Parameter(ElementType.F16, "1,3,1,1");

        var node = Node.Create(QuantizationOps.FakeQuantize, [data, ranges, ranges, ranges, ranges], new Dictionary<string, object> { ["levels"] = 256L });

        Assert.Equal(ElementType.F16, node.Outputs[0].Type);
        Assert.Equal(PartialShape.Parse("?,3,8,8"), node.Outputs[0].Shape);
    }

    [Fact]
    public void Integer_data_fewer_than_two_levels_and_ranges_of_another_shape_are_refused()
    {
        var floats = OpGraph.Parameter(ElementType.F32, "2,3");
        var integers = OpGraph.Parameter(ElementType.I32, "2,3");
        var wrong = OpGraph.Parameter(ElementType.F32, "4");
        Node Make(Output data, Output range, long levels) =>
            Node.Create(QuantizationOps.FakeQuantize, [data, range, range, range, range], new Dictionary<string, object> { ["levels"] = levels });

        Assert.Contains("floating-point", Assert.Throws<InferenceException>(() => Make(integers, integers, 256)).Message, StringComparison.Ordinal);
        Assert.Contains("levels must be 2 or more", Assert.Throws<InferenceException>(() => Make(floats, floats, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("does not broadcast", Assert.Throws<InferenceException>(() => Make(floats, wrong, 256)).Message, StringComparison.Ordinal);
    }

    private static Tensor Scalar(double value) => Tensor.Scalar(ElementType.F32, value);
}
