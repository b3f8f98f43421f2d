using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class LinearAlgebraTranslatorsTests
{
    [Fact]
    public void Gemm_applies_transposes_alpha_beta_and_broadcasts_C()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("a", ElementType.F32, 3, 2).Input("b", ElementType.F32, 4, 3).Input("c", ElementType.F32, 4)
            .Node("Gemm", ["a", "b", "c"], ["y"], Int("transA", 1), Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2f))
            .Output("y", ElementType.F32, 2, 4);
        var a = Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 0f], 3, 2);
        var b = Tensor.FromArray([1f, 0f, 1f, 2f, 0f, 1f, 3f, 0f, 1f, 4f, 0f, 1f], 4, 3);
        var c = Tensor.FromArray([1f, 2f, 3f, 4f], 4);

        var y = ConversionHarness.ConvertAndRun(onnx, a, b, c)[0];

        // op(A)·op(B) = [[2, 3, 4, 5], [0, 0, 0, 0]]; then ·0.5 + 2·C.
        Assert.Equal([2L, 4L], y.Shape);
        Assert.Equal([3f, 5.5f, 8f, 10.5f, 2f, 4f, 6f, 8f], y.As<float>());
    }

    [Fact]
    public void Gemm_opset_6_broadcasts_C_and_opset_11_works_without_it()
    {
        var legacy = new OnnxGraphBuilder(opset: 6)
            .Input("a", ElementType.F32, 1, 2).Input("b", ElementType.F32, 2, 1).Input("c", ElementType.F32, 1)
            .Node("Gemm", ["a", "b", "c"], ["y"], Int("broadcast", 1))
            .Output("y", ElementType.F32, 1, 1);
        var withoutC = new OnnxGraphBuilder(opset: 11)
            .Input("a", ElementType.F32, 1, 2).Input("b", ElementType.F32, 2, 1)
            .Node("Gemm", ["a", "b"], ["y"], Float("beta", 3f))
            .Output("y", ElementType.F32, 1, 1);
        var a = Tensor.FromArray([1f, 2f], 1, 2);
        var b = Tensor.FromArray([3f, 4f], 2, 1);

        Assert.Equal([21f], ConversionHarness.ConvertAndRun(legacy, a, b, Tensor.FromArray([10f], 1))[0].As<float>());
        Assert.Equal([11f], ConversionHarness.ConvertAndRun(withoutC, a, b)[0].As<float>());
    }

    [Fact]
    public void Gemm_rejects_operands_that_are_not_matrices()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("a", ElementType.F32, 2, 2, 2).Input("b", ElementType.F32, 2, 2)
            .Node("Gemm", ["a", "b"], ["y"])
            .Output("y", ElementType.F32, 2, 2);

        var error = Assert.Throws<ModelBuildException>(() =>
            ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[8], 2, 2, 2), Tensor.FromArray(new float[4], 2, 2)));

        Assert.Contains("A must be 2-D", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMul_treats_1d_operands_as_row_and_column_and_drops_those_axes()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .Input("v", ElementType.F32, 2).Input("m", ElementType.F32, 2, 3).Input("w", ElementType.F32, 3).Input("u", ElementType.F32, 2)
            .Node("MatMul", ["v", "m"], ["vm"])
            .Node("MatMul", ["m", "w"], ["mw"])
            .Node("MatMul", ["v", "u"], ["vu"])
            .Output("vm", ElementType.F32, 3).Output("mw", ElementType.F32, 2).Output("vu", ElementType.F32);
        var v = Tensor.FromArray([1f, 2f], 2);
        var m = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

        var results = ConversionHarness.ConvertAndRun(onnx, v, m, Tensor.FromArray([1f, 1f, 1f], 3), Tensor.FromArray([3f, 4f], 2));

        Assert.Equal([9f, 12f, 15f], results[0].As<float>());
        Assert.Equal([6f, 15f], results[1].As<float>());
        Assert.Empty(results[2].Shape);
        Assert.Equal([11f], results[2].As<float>());
    }

    [Fact]
    public void MatMul_broadcasts_batch_axes_including_dynamic_ones()
    {
        var onnx = new OnnxGraphBuilder(opset: 13)
            .DynamicInput("a", ElementType.F32, -1, 1, 2, 2).Input("b", ElementType.F32, 3, 2, 2)
            .Node("MatMul", ["a", "b"], ["y"])
            .Output("y", ElementType.F32, 2, 3, 2, 2);

        // a[i] = (i + 1)·I, so y[i, j] = (i + 1)·b[j].
        var a = Tensor.FromArray([1f, 0f, 0f, 1f, 2f, 0f, 0f, 2f], 2, 1, 2, 2);
        var bValues = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        var y = ConversionHarness.ConvertAndRun(onnx, a, Tensor.FromArray(bValues, 3, 2, 2))[0];

        Assert.Equal([2L, 3L, 2L, 2L], y.Shape);
        Assert.Equal(bValues.Concat(bValues.Select(v => 2 * v)), y.As<float>());
    }

    [Fact]
    public void MatMulInteger_subtracts_per_row_and_per_column_zero_points()
    {
        var onnx = new OnnxGraphBuilder(opset: 10)
            .Input("a", ElementType.U8, 2, 2).Input("b", ElementType.I8, 2, 2)
            .Input("a_zero", ElementType.U8, 2).Input("b_zero", ElementType.I8, 2)
            .Node("MatMulInteger", ["a", "b", "a_zero", "b_zero"], ["y"])
            .Output("y", ElementType.I32, 2, 2);
        var a = new Tensor(ElementType.U8, [2, 2], new byte[] { 10, 20, 30, 40 });
        var b = new Tensor(ElementType.I8, [2, 2], new sbyte[] { 1, 2, 3, -4 });
        var aZero = new Tensor(ElementType.U8, [2], new byte[] { 10, 30 });
        var bZero = new Tensor(ElementType.I8, [2], new sbyte[] { 1, 0 });

        var y = ConversionHarness.ConvertAndRun(onnx, a, b, aZero, bZero)[0];

        // (A − a_zero) = [[0, 10], [0, 10]], (B − b_zero) = [[0, 2], [2, −4]].
        Assert.Equal(ElementType.I32, y.Type);
        Assert.Equal([20, -40, 20, -40], y.As<int>());
    }

    [Fact]
    public void Einsum_accepts_spaces_and_the_implicit_output()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("a", ElementType.F32, 2, 2).Input("b", ElementType.F32, 2, 2)
            .Node("Einsum", ["a", "b"], ["y"], String("equation", " ij , jk "))
            .Node("Einsum", ["a"], ["t"], String("equation", "ji"))
            .Output("y", ElementType.F32, 2, 2).Output("t", ElementType.F32, 2, 2);
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, a, Tensor.FromArray([5f, 6f, 7f, 8f], 2, 2));

        Assert.Equal([19f, 22f, 43f, 50f], results[0].As<float>());
        Assert.Equal([1f, 3f, 2f, 4f], results[1].As<float>());
    }

    [Fact]
    public void Einsum_implicit_output_sorts_capitals_first()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("a", ElementType.F32, 2, 3)
            .Node("Einsum", ["a"], ["y"], String("equation", "bA"))
            .Output("y", ElementType.F32, 3, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3))[0];

        Assert.Equal([3L, 2L], y.Shape);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], y.As<float>());
    }

    [Fact]
    public void Einsum_takes_diagonals_sums_and_broadcasts_ellipses_of_different_ranks()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("cube", ElementType.F32, 2, 2, 2).Input("rows", ElementType.F32, 2, 1, 2).Input("m", ElementType.F32, 2, 2)
            .Node("Einsum", ["cube"], ["diagonal"], String("equation", "...ii->...i"))
            .Node("Einsum", ["rows", "m"], ["product"], String("equation", "...ij,...jk->...ik"))
            .Node("Einsum", ["m", "m"], ["inner"], String("equation", "ij,ij"))
            .Node("Einsum", ["m"], ["sum"], String("equation", "ij->i"))
            .Output("diagonal", ElementType.F32, 2, 2).Output("product", ElementType.F32, 2, 1, 2)
            .Output("inner", ElementType.F32).Output("sum", ElementType.F32, 2);
        var cube = Tensor.FromArray(Enumerable.Range(0, 8).Select(i => (float)i).ToArray(), 2, 2, 2);
        var rows = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 1, 2);
        var m = Tensor.FromArray([1f, 1f, 0f, 1f], 2, 2);

        var results = ConversionHarness.ConvertAndRun(onnx, cube, rows, m);

        Assert.Equal([0f, 3f, 4f, 7f], results[0].As<float>());
        Assert.Equal([2L, 1L, 2L], results[1].Shape);
        Assert.Equal([1f, 3f, 3f, 7f], results[1].As<float>());
        Assert.Equal([3f], results[2].As<float>());
        Assert.Equal([2f, 1f], results[3].As<float>());
    }

    [Fact]
    public void Einsum_with_inconsistent_label_lengths_is_reported()
    {
        var onnx = new OnnxGraphBuilder(opset: 12)
            .Input("a", ElementType.F32, 2, 3).Input("b", ElementType.F32, 2, 3)
            .Node("Einsum", ["a", "b"], ["y"], String("equation", "ij,jk->ik"))
            .Output("y", ElementType.F32, 2, 3);

        var error = Assert.Throws<ModelBuildException>(() =>
            ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[6], 2, 3), Tensor.FromArray(new float[6], 2, 3)));

        Assert.Contains("label 'j'", error.Message, StringComparison.Ordinal);
    }
}
