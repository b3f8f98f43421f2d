using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// MatMul-1: NumPy matrix product. <c>transpose_a</c>/<c>transpose_b</c> swap the last two axes of
/// an operand of rank ≥ 2 first. A 1-D A is a row [1, K] and a 1-D B a column [K, 1]; those unit
/// axes are dropped from the result. Batch axes (all but the last two) broadcast NumPy-style.
/// </summary>
public sealed class MatMulOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("transpose_a", false), AttributeSpec.Bool("transpose_b", false)];

    public MatMulOp()
        : base("MatMul", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = Contraction.CommonNumericType(context);
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        if (!a.IsRankStatic || !b.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        context.Require(a.Rank >= 1 && b.Rank >= 1, $"operands must have rank 1 or more, got {a.ToDisplayString()} and {b.ToDisplayString()}");
        var left = AsMatrices(a, context.Attributes.GetBool("transpose_a"), row: true);
        var right = AsMatrices(b, context.Attributes.GetBool("transpose_b"), row: false);
        context.Require(left[^1].IsCompatible(right[^2]),
            $"the inner dimensions of {a.ToDisplayString()} and {b.ToDisplayString()} differ (transpose_a={context.Attributes.GetBool("transpose_a")}, transpose_b={context.Attributes.GetBool("transpose_b")})");
        var batch = Broadcasting.Numpy(PartialShape.Of(left[..^2]), PartialShape.Of(right[..^2]))
            ?? throw context.Error($"the batch dimensions of {a.ToDisplayString()} and {b.ToDisplayString()} do not broadcast");

        var dims = batch.ToList();
        if (a.Rank > 1)
        {
            dims.Add(left[^2]);
        }

        if (b.Rank > 1)
        {
            dims.Add(right[^1]);
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    /// <summary>Each output element sums the contracted dimension.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var a = context.Input(0);
        var contracted = a.Rank == 0 ? 1 : a.Rank > 1 && context.Attributes.GetBool("transpose_a") ? a.Shape[^2] : a.Shape[^1];
        return EvaluationBudget.Product(ShapeMath.ElementCount(context.OutputShape(0)), contracted);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var aShape = AsMatrices(a.PartialShape, false, row: true).Select(d => d.Length).ToArray();
        var bShape = AsMatrices(b.PartialShape, false, row: false).Select(d => d.Length).ToArray();

        // Strides of the matrices as the product reads them: transposing swaps the last two strides.
        var aStrides = ShapeMath.Strides(aShape);
        var bStrides = ShapeMath.Strides(bShape);
        if (a.Rank > 1 && context.Attributes.GetBool("transpose_a"))
        {
            (aShape[^1], aShape[^2]) = (aShape[^2], aShape[^1]);
            (aStrides[^1], aStrides[^2]) = (aStrides[^2], aStrides[^1]);
        }

        if (b.Rank > 1 && context.Attributes.GetBool("transpose_b"))
        {
            (bShape[^1], bShape[^2]) = (bShape[^2], bShape[^1]);
            (bStrides[^1], bStrides[^2]) = (bStrides[^2], bStrides[^1]);
        }

        // As an einsum over labels (batch..., m, n, k): out[batch, m, n] = Σk a[batch, m, k]·b[batch, k, n].
        var batch = Broadcasting.Numpy(aShape[..^2], bShape[..^2]);
        var rank = batch.Length;
        long[] sizes = [.. batch, aShape[^2], bShape[^1], aShape[^1]];
        var strideA = new long[rank + 3];
        var strideB = new long[rank + 3];
        var strideOut = ShapeMath.Strides(sizes.AsSpan(0, rank + 2));
        Array.Resize(ref strideOut, rank + 3);
        for (var i = 0; i < rank; i++)
        {
            var ai = i - (rank - (aShape.Length - 2));
            var bi = i - (rank - (bShape.Length - 2));
            strideA[i] = ai >= 0 && aShape[ai] != 1 ? aStrides[ai] : 0;
            strideB[i] = bi >= 0 && bShape[bi] != 1 ? bStrides[bi] : 0;
        }

        (strideA[rank], strideA[rank + 2]) = (aStrides[^2], aStrides[^1]);
        (strideB[rank + 1], strideB[rank + 2]) = (bStrides[^1], bStrides[^2]);
        var product = Contraction.Run(context.OutputType(0), sizes, [a, b], [strideA, strideB], strideOut, context.OutputShape(0));
        return [product];
    }

    /// <summary>The operand as a stack of matrices: 1-D becomes a row (A) or a column (B).</summary>
    private static Dimension[] AsMatrices(PartialShape shape, bool transpose, bool row)
    {
        if (shape.Rank == 1)
        {
            return row ? [1, shape[0]] : [shape[0], 1];
        }

        var dims = shape.ToArray();
        if (transpose)
        {
            (dims[^1], dims[^2]) = (dims[^2], dims[^1]);
        }

        return dims;
    }
}

public static partial class MatrixOps
{
    public static readonly OpDefinition MatMul = new MatMulOp();
}
