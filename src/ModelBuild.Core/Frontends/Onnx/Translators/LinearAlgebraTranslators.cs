using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Gemm, MatMul, MatMulInteger and Einsum, all on OpenVINO's MatMul and Einsum.</summary>
public static class LinearAlgebraTranslators
{
    /// <summary>
    /// Gemm: Y = alpha·op(A)·op(B) + beta·C, with C broadcast to [M, N] (before opset 7 the
    /// <c>broadcast</c> attribute allowed that; without it C has that shape already, so NumPy
    /// broadcasting covers both). C is optional from opset 11.
    /// </summary>
    public static IReadOnlyList<Output> Gemm(OnnxNodeContext context)
    {
        var b = context.Graph;
        var a = context.Input(0);
        var matrixB = context.Input(1);
        foreach (var (operand, name) in new[] { (a, "A"), (matrixB, "B") })
        {
            if (operand.Shape.IsRankStatic && operand.Shape.Rank != 2)
            {
                throw context.Error($"{name} must be 2-D, not {operand.Shape.ToDisplayString()}");
            }
        }

        var y = b.Make(MatrixOps.MatMul, [a, matrixB],
            ("transpose_a", context.GetInt("transA", 0) != 0), ("transpose_b", context.GetInt("transB", 0) != 0));
        var alpha = context.GetFloat("alpha", 1f);
        if (alpha != 1f)
        {
            y = b.Multiply(y, b.ScalarLike(y, alpha));
        }

        var beta = context.GetFloat("beta", 1f);
        if (context.OptionalInput(2) is not { } c || beta == 0f)
        {
            return [y];
        }

        return [b.Add(y, beta == 1f ? c : b.Multiply(c, b.ScalarLike(c, beta)))];
    }

    public static IReadOnlyList<Output> MatMul(OnnxNodeContext context) =>
        [context.Graph.Make(MatrixOps.MatMul, [context.Input(0), context.Input(1)])];

    /// <summary>
    /// MatMulInteger: (A − a_zero_point)·(B − b_zero_point) as i32. A's zero point is per row when 1-D (length M), so it
    /// is turned into a column; B's is per column and broadcasts as it is. The operands are dequantized to f32 (Convert →
    /// Subtract, a constant B staying an integer weight) and multiplied in f32, the form OpenVINO runs fast and in low
    /// precision; the integer sums are exact while they stay below 2^24 in magnitude.
    /// </summary>
    public static IReadOnlyList<Output> MatMulInteger(OnnxNodeContext context)
    {
        var a = context.Input(0);
        var aZeroPoint = context.OptionalInput(2);
        if (aZeroPoint is { Shape: { IsRankStatic: true, Rank: 1 } } perRow)
        {
            aZeroPoint = !a.Shape.IsRankStatic ? throw context.Error("a 1-D a_zero_point needs A of known rank")
                : a.Shape.Rank >= 2 ? context.Graph.Unsqueeze(perRow, -1) : perRow;
        }

        var left = QuantizationTranslators.Centered(context, a, aZeroPoint, ElementType.F32);
        var right = QuantizationTranslators.Centered(context, context.Input(1), context.OptionalInput(3), ElementType.F32);
        return [context.Graph.Convert(context.Graph.Make(MatrixOps.MatMul, [left, right]), ElementType.I32)];
    }

    /// <summary>Einsum: the equation goes to OpenVINO as it is, spaces removed.</summary>
    public static IReadOnlyList<Output> Einsum(OnnxNodeContext context)
    {
        var equation = context.GetString("equation", string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        return [context.Graph.Make(MatrixOps.Einsum, context.PresentInputs(), ("equation", equation))];
    }
}
