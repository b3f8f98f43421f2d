using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Transforms;
using ModelBuild.Core.Verification;
using Xunit;

namespace ModelBuild.Core.Tests.Transforms;

/// <summary>
/// One test per op version newer than opset8 that ModelBuild writes: for target 2022.1 the node is written as the older
/// version or decomposition the rule chooses — no op newer than opset8 is left, and the reference evaluator computes
/// the same outputs before and after — or refused with MB2008 naming the node, the op and its first release.
/// </summary>
public sealed class OpsetDowngradeTests
{
    private static readonly OpenVinoRelease Target2022_1 = OpenVinoReleases.Parse("2022.1");

    [Fact]
    public void TopK_without_stable_ties_becomes_TopK_3()
    {
        var x = Tensor.FromArray([3f, 1, 4, 1, 5, 9, 2, 6], 2, 4);
        var ops = AssertDowngradedEquivalent(g => g.B.MakeMulti(SortOps.TopK, [g.Input(x), g.B.Int64(2)],
            ("axis", 1L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64), ("stable", false)), x);
        Assert.Contains("TopK-opset3", ops);
    }

    [Fact]
    public void Stable_TopK_whose_indices_are_unused_becomes_TopK_3()
    {
        var x = Tensor.FromArray([2f, 2, 1, 3, 3, 0], 2, 3);
        var ops = AssertDowngradedEquivalent(g => [g.B.MakeMulti(SortOps.TopK, [g.Input(x), g.B.Int64(2)],
            ("axis", 1L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64), ("stable", true))[0]], x);
        Assert.Contains("TopK-opset3", ops);
    }

    [Fact]
    public void Stable_TopK_with_k_1_becomes_the_first_extreme_and_keeps_ties_in_order()
    {
        // Ties along the axis: the first index must win, as ONNX ArgMax requires.
        var x = Tensor.FromArray([2f, 7, 7, 1, 5, 5, 0, 5], 2, 4);
        var ops = AssertDowngradedEquivalent(g => g.B.MakeMulti(SortOps.TopK, [g.Input(x), g.B.Int64(1)],
            ("axis", -1L), ("mode", "max"), ("sort", "none"), ("index_element_type", ElementType.I64), ("stable", true)), x);
        Assert.DoesNotContain("TopK-opset3", ops);
        Assert.Contains("ReduceMax-opset1", ops);
    }

    [Theory]
    [InlineData("max", "value")]
    [InlineData("min", "value")]
    [InlineData("max", "index")]
    [InlineData("min", "none")]
    public void Stable_TopK_with_a_run_time_k_ranks_the_elements_pairwise_and_keeps_ties_in_order(string mode, string sort)
    {
        var x = Tensor.FromArray([3f, 1, 3, 2, 1, 3, 0, 2, 2, 5, 2, 2], 3, 4);
        var k = Tensor.FromArray([3L], []);
        var ops = AssertDowngradedEquivalent(g => g.B.MakeMulti(SortOps.TopK, [g.Input(x), g.Input(k, "k")],
            ("axis", -1L), ("mode", mode), ("sort", sort), ("index_element_type", ElementType.I32), ("stable", true)), x, k);
        Assert.DoesNotContain("TopK-opset3", ops);
        Assert.Contains("GatherElements-opset6", ops);
    }

    [Fact]
    public void Stable_TopK_over_an_axis_of_unknown_length_is_refused()
    {
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Of([Dimension.Dynamic]), "x").Output();
        var topK = new GraphBuilder().MakeMulti(SortOps.TopK, [x, new GraphBuilder().Int64(2)],
            ("axis", 0L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64), ("stable", true));
        topK[0].Node.Name = "op";
        var model = new Model("test", [x.Node], topK.Select(Node.CreateResult));

        var error = Assert.Throws<ModelBuildException>(() => OpsetDowngrade.Run(model, Target2022_1));

        Assert.Contains("TopK-opset11 is first in OpenVINO 2023.0", error.Message);
        Assert.Contains("stable", error.Message);
    }

    [Theory]
    [InlineData("sizes")]
    [InlineData("scales")]
    public void Interpolate_11_becomes_Interpolate_4(string mode)
    {
        var x = Tensor.FromArray([1f, 2, 3, 4], 1, 1, 2, 2);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(ImageOps.Interpolate,
            [g.Input(x), mode == "sizes" ? g.B.Int64s(4, 4) : g.B.Constant(Tensor.FromArray([2f, 2f], 2)), g.B.Int64s(2, 3)],
            ("mode", "linear_onnx"), ("shape_calculation_mode", mode), ("coordinate_transformation_mode", "half_pixel"))], x);
        Assert.Contains("Interpolate-opset4", ops);
    }

    [Fact]
    public void Interpolate_11_in_a_pillow_mode_is_refused()
    {
        var error = AssertRefused(g => [g.B.Make(ImageOps.Interpolate, [g.Input(Tensor.FromArray([1f, 2, 3, 4], 1, 1, 2, 2)), g.B.Int64s(4, 4), g.B.Int64s(2, 3)],
            ("mode", "bilinear_pillow"), ("shape_calculation_mode", "sizes"))]);
        Assert.Contains("Interpolate-opset11 is first in OpenVINO 2023.0", error.Message);
    }

    [Fact]
    public void NonMaxSuppression_9_becomes_NonMaxSuppression_5()
    {
        var boxes = Tensor.FromArray([0f, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, 2, 1, 3], 1, 3, 4);
        var scores = Tensor.FromArray([0.9f, 0.8f, 0.7f], 1, 1, 3);
        var ops = AssertDowngradedEquivalent(g => g.B.MakeMulti(SortOps.NonMaxSuppression,
            [g.Input(boxes), g.Input(scores, "scores"), g.B.Int64(3), g.B.Scalar(ElementType.F32, 0.5), g.B.Scalar(ElementType.F32, 0)]), boxes, scores);
        Assert.Contains("NonMaxSuppression-opset5", ops);
    }

    [Fact]
    public void RoiAlign_9_asymmetric_becomes_RoiAlign_3_and_half_pixel_is_refused()
    {
        var data = Tensor.FromArray([.. Enumerable.Range(0, 16).Select(i => (float)i)], 1, 1, 4, 4);
        var rois = Tensor.FromArray([0f, 0, 3, 3], 1, 4);
        Output[] Build(TestGraph g, string mode) => [g.B.Make(DetectionOps.RoiAlign, [g.Input(data), g.Input(rois, "rois"), g.B.Int64s(0)],
            ("pooled_h", 2L), ("pooled_w", 2L), ("sampling_ratio", 2L), ("spatial_scale", 1.0), ("mode", "avg"), ("aligned_mode", mode))];

        Assert.Contains("ROIAlign-opset3", AssertDowngradedEquivalent(g => Build(g, "asymmetric"), data, rois));
        Assert.Contains("ROIAlign-opset9 is first in OpenVINO 2022.2", AssertRefused(g => Build(g, "half_pixel")).Message);
    }

    [Fact]
    public void ScatterElementsUpdate_12_becomes_version_3_with_negative_indices_counted_from_the_end()
    {
        var data = Tensor.FromArray([1f, 2, 3, 4, 5], 1, 5);
        var indices = Tensor.FromArray([1L, -3], 1, 2);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(MovementOps.ScatterElementsUpdate,
            [g.Input(data), g.Input(indices, "indices"), g.B.Constant(Tensor.FromArray([1.1f, 2.1f], 1, 2)), g.B.Int64(1)], ("reduction", "none"))], data, indices);
        Assert.Contains("ScatterElementsUpdate-opset3", ops);
    }

    [Fact]
    public void ScatterElementsUpdate_3_takes_negative_indices_literally()
    {
        // OpenVINO's 2022 runtime rejects or misplaces them: only version 12 counts them from the end.
        var builder = new GraphBuilder(foldConstants: false);
        var node = builder.Make(MovementOps.ScatterElementsUpdateV3,
            [builder.Constant(Tensor.FromArray([1f, 2, 3], 3)), builder.Int64s(-1), builder.Constant(Tensor.FromArray([9f], 1)), builder.Int64(0)]).Node;

        Assert.ThrowsAny<Exception>(() => ReferenceEvaluator.EvaluateNode(node, node.Inputs.Select(i => i.Node.Constant!.GetValue()).ToList(), EvaluationBudget.Unlimited()));
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("max")]
    public void Scatter_with_a_reduction_is_refused(string reduction)
    {
        var data = Tensor.FromArray([1f, 2, 3], 3);
        var elements = AssertRefused(g => [g.B.Make(MovementOps.ScatterElementsUpdate,
            [g.Input(data), g.B.Int64s(0), g.B.Constant(Tensor.FromArray([1f], 1)), g.B.Int64(0)], ("reduction", reduction))]);
        var nd = AssertRefused(g => [g.B.Make(MovementOps.ScatterNDUpdateWithReduction,
            [g.Input(data), g.B.Constant(Tensor.FromArray([0L], 1, 1)), g.B.Constant(Tensor.FromArray([1f], 1))], ("reduction", reduction))]);

        Assert.Contains("ScatterElementsUpdate-opset12 is first in OpenVINO 2023.1", elements.Message);
        Assert.Contains("ScatterNDUpdate-opset15 is first in OpenVINO 2024.5", nd.Message);
    }

    [Fact]
    public void ScatterNDUpdate_15_without_reduction_becomes_version_4()
    {
        var data = Tensor.FromArray([1f, 2, 3, 4], 4);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(MovementOps.ScatterNDUpdateWithReduction,
            [g.Input(data), g.B.Constant(Tensor.FromArray([3L, 1], 2, 1)), g.B.Constant(Tensor.FromArray([9f, 8], 2))], ("reduction", "none"))], data);
        Assert.Contains("ScatterNDUpdate-opset4", ops);
    }

    [Fact]
    public void Pad_12_with_non_negative_pads_becomes_Pad_1()
    {
        var x = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(MovementOps.Pad, [g.Input(x), g.B.Int64s(0, 1), g.B.Int64s(1, 0)], ("pad_mode", "reflect"))], x);
        Assert.Contains("Pad-opset1", ops);
        Assert.DoesNotContain("Slice-opset8", ops);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("edge")]
    public void Pad_12_with_negative_or_run_time_pads_crops_with_Slice_then_pads_with_Pad_1(string mode)
    {
        var x = Tensor.FromArray([.. Enumerable.Range(1, 12).Select(i => (float)i)], 3, 4);
        var begins = Tensor.FromArray([-1L, 2], 2);
        var ends = Tensor.FromArray([1L, -3], 2);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(MovementOps.Pad, [g.Input(x), g.Input(begins, "begins"), g.Input(ends, "ends")], ("pad_mode", mode))], x, begins, ends);
        Assert.Contains("Pad-opset1", ops);
        Assert.Contains("Slice-opset8", ops);
    }

    [Fact]
    public void SoftSign_9_becomes_x_over_1_plus_abs_x()
    {
        var x = Tensor.FromArray([-3f, -0.5f, 0, 2], 4);
        Assert.Contains("Divide-opset1", AssertDowngradedEquivalent(g => [g.B.Make(ActivationOps.SoftSign, [g.Input(x)])], x));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void IsInf_10_becomes_comparisons_with_infinity(bool positive, bool negative)
    {
        var x = Tensor.FromArray([float.NegativeInfinity, -1, float.NaN, 0, float.PositiveInfinity], 5);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(ComparisonOps.IsInf, [g.Input(x)], ("detect_positive", positive), ("detect_negative", negative))], x);
        Assert.Contains("Equal-opset1", ops);
    }

    [Fact]
    public void IsNaN_and_IsFinite_10_become_comparisons()
    {
        var x = Tensor.FromArray([float.NegativeInfinity, -1, float.NaN, 0, float.PositiveInfinity], 5);
        Assert.Contains("NotEqual-opset1", AssertDowngradedEquivalent(g => [g.B.Make(ComparisonOps.IsNaN, [g.Input(x)])], x));
        Assert.Contains("Less-opset1", AssertDowngradedEquivalent(g => [g.B.Make(ComparisonOps.IsFinite, [g.Input(x)])], x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bitwise_shifts_15_become_multiplication_and_division_by_powers_of_two(bool left)
    {
        var x = new Tensor(ElementType.U8, [4], new byte[] { 1, 200, 255, 16 });
        var n = new Tensor(ElementType.U8, [4], new byte[] { 1, 2, 7, 3 });
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(left ? BitwiseOps.BitwiseLeftShift : BitwiseOps.BitwiseRightShift, [g.Input(x), g.Input(n, "n")])], x, n);
        Assert.Contains(left ? "Multiply-opset1" : "Divide-opset1", ops);
    }

    [Fact]
    public void GroupNormalization_12_becomes_MVN_6_between_reshapes()
    {
        var x = Tensor.FromArray([.. Enumerable.Range(0, 24).Select(i => (float)Math.Sin(i))], 1, 4, 3, 2);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(NormalizationOps.GroupNormalization,
            [g.Input(x), g.B.Constant(Tensor.FromArray([1f, 2, 3, 4], 4)), g.B.Constant(Tensor.FromArray([0f, 0.5f, 1, 1.5f], 4))], ("num_groups", 2L), ("epsilon", 1e-5))], x);
        Assert.Contains("MVN-opset6", ops);
    }

    [Theory]
    [InlineData(new long[] { 1 }, null)]
    [InlineData(new long[] { 0, -1 }, new long[] { 3, 6 })]
    public void RDFT_9_becomes_DFT_7_of_the_signal_with_a_zero_imaginary_part(long[] axes, long[]? sizes)
    {
        var x = Tensor.FromArray([.. Enumerable.Range(0, 20).Select(i => (float)Math.Cos(i * 0.7))], 4, 5);
        var ops = AssertDowngradedEquivalent(g => [g.B.Make(SignalOps.Rdft, sizes is null ? [g.Input(x), g.B.Int64s(axes)] : [g.Input(x), g.B.Int64s(axes), g.B.Int64s(sizes)])], x);
        Assert.Contains("DFT-opset7", ops);
    }

    [Fact]
    public void An_op_without_an_older_form_is_refused_with_its_first_release()
    {
        var error = AssertRefused(g => [g.B.Make(ImageOps.GridSample, [g.Input(Tensor.FromArray([1f, 2, 3, 4], 1, 1, 2, 2)), g.Input(Tensor.FromArray([0f, 0], 1, 1, 1, 2), "grid")],
            ("align_corners", false), ("mode", "bilinear"), ("padding_mode", "zeros"))]);

        Assert.Equal(DiagnosticCode.OpUnavailableInTarget, error.Code);
        Assert.Equal("op", error.NodeName);
        Assert.Contains("GridSample-opset9 is first in OpenVINO 2022.2", error.Message);
        Assert.Contains("Target 2022.2 or later", error.Message);
    }

    [Fact]
    public void The_newest_target_changes_nothing()
    {
        var model = ModelOf(g => g.B.MakeMulti(SortOps.TopK, [g.Input(Tensor.FromArray([1f, 2], 2)), g.B.Int64(1)],
            ("axis", 0L), ("mode", "max"), ("sort", "value"), ("index_element_type", ElementType.I64), ("stable", true)));

        Assert.Equal(0, OpsetDowngrade.Run(model, OpenVinoReleases.Newest));
        Assert.Contains("TopK-opset11", OpNames(model));
    }

    // Builds the model, evaluates it, downgrades it for 2022.1, checks no newer op is left and the outputs are the same; returns the ops.
    private static List<string> AssertDowngradedEquivalent(Func<TestGraph, IReadOnlyList<Output>> build, params Tensor[] inputs)
    {
        var model = ModelOf(build);
        var before = ReferenceEvaluator.Run(model, inputs);

        Assert.Equal(1, OpsetDowngrade.Run(model, Target2022_1));

        var ops = OpNames(model);
        Assert.All(model.OrderedNodes(), node => Assert.True(node.Op.Version <= Target2022_1.Opset, $"{node.Op} is left"));
        var after = ReferenceEvaluator.Run(model, inputs);
        for (var i = 0; i < before.Count; i++)
        {
            var comparison = TensorComparison.Compare(after[i], before[i], 1e-6, 1e-6);
            Assert.True(comparison.Matches, $"output {i}: {comparison.Mismatch}");
        }

        Assert.Equal(model.Results.Select(r => string.Join(",", r.Input(0).Names)), Enumerable.Range(0, before.Count).Select(i => $"y{i}"));
        return ops;
    }

    private static ModelBuildException AssertRefused(Func<TestGraph, IReadOnlyList<Output>> build) =>
        Assert.Throws<ModelBuildException>(() => OpsetDowngrade.Run(ModelOf(build), Target2022_1));

    private static Model ModelOf(Func<TestGraph, IReadOnlyList<Output>> build)
    {
        var graph = new TestGraph();
        var outputs = build(graph);
        outputs[0].Node.Name = "op";
        for (var i = 0; i < outputs.Count; i++)
        {
            outputs[i].Names.Add($"y{i}");
        }

        return new Model("test", graph.Parameters, outputs.Select(Node.CreateResult));
    }

    private static List<string> OpNames(Model model) => model.OrderedNodes().Select(n => n.Op.ToString()).ToList();

    /// <summary>A builder that does not fold, and graph inputs shaped like the test values.</summary>
    private sealed class TestGraph
    {
        public GraphBuilder B { get; } = new(foldConstants: false);

        public List<Node> Parameters { get; } = [];

        public Output Input(Tensor like, string name = "x")
        {
            var parameter = Node.CreateParameter(like.Type, like.PartialShape, name);
            Parameters.Add(parameter);
            return parameter.Output();
        }
    }
}
