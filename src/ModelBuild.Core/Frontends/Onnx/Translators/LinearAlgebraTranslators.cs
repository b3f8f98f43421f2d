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
    /// MatMulInteger: (A − a_zero_point)·(B − b_zero_point) in i32. A's zero point is per row when
    /// 1-D (length M), so it is turned into a column; B's is per column and broadcasts as it is.
    /// </summary>
    public static IReadOnlyList<Output> MatMulInteger(OnnxNodeContext context)
    {
        var b = context.Graph;
        var a = b.Convert(context.Input(0), ElementType.I32);
        if (context.OptionalInput(2) is { } aZeroPoint)
        {
            var zeroPoint = b.Convert(aZeroPoint, ElementType.I32);
            if (zeroPoint.Shape is { IsRankStatic: true, Rank: 1 })
            {
                if (!a.Shape.IsRankStatic)
                {
                    throw context.Error("a 1-D a_zero_point needs A of known rank");
                }

                zeroPoint = a.Shape.Rank >= 2 ? b.Unsqueeze(zeroPoint, -1) : zeroPoint;
            }

            a = b.Subtract(a, zeroPoint);
        }

        var matrixB = b.Convert(context.Input(1), ElementType.I32);
        if (context.OptionalInput(3) is { } bZeroPoint)
        {
            matrixB = b.Subtract(matrixB, b.Convert(bZeroPoint, ElementType.I32));
        }

        return [b.Make(MatrixOps.MatMul, [a, matrixB])];
    }

    /// <summary>Einsum: the equation goes to OpenVINO as it is, spaces removed.</summary>
    public static IReadOnlyList<Output> Einsum(OnnxNodeContext context)
    {
        var equation = context.GetString("equation", string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        return [context.Graph.Make(MatrixOps.Einsum, context.PresentInputs(), ("equation", equation))];
    }
}
