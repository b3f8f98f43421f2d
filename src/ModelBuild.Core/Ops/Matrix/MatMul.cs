using System.Numerics;
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
        var product = new Product(a, b, a.Rank > 1 && context.Attributes.GetBool("transpose_a"), b.Rank > 1 && context.Attributes.GetBool("transpose_b"),
            context.OutputShape(0));
        return [Gemm.Dispatch<Product, Tensor>(a.Type, product)];
    }

    /// <summary>
    /// One matrix product per batch element, on the shared <see cref="Gemm"/> kernel. A transposed A is read through
    /// swapped strides; a transposed B is copied transposed once, since the kernel reads rows of B as vectors. Many
    /// small products run in parallel with each other, a few large ones each on all cores.
    /// </summary>
    private readonly record struct Product(Tensor A, Tensor B, bool TransposeA, bool TransposeB, long[] OutputShape) : IProductComputation<Tensor>
    {
        public Tensor Invoke<T>()
            where T : unmanaged, INumber<T>
        {
            // Stored matrices: a 1-D A is a row [1, K], a 1-D B a column [K, 1].
            var aStored = AsMatrices(A.PartialShape, transpose: false, row: true).Select(d => d.Length).ToArray();
            var bStored = AsMatrices(B.PartialShape, transpose: false, row: false).Select(d => d.Length).ToArray();
            var (rows, depth) = TransposeA ? ((int)aStored[^1], (int)aStored[^2]) : ((int)aStored[^2], (int)aStored[^1]);
            var columns = (int)(TransposeB ? bStored[^2] : bStored[^1]);
            var aMatrix = (int)(aStored[^1] * aStored[^2]);
            var bMatrix = depth * columns;
            var a = Gemm.Operand<T>(A);
            var b = TransposeB ? Gemm.TransposedMatrices(Gemm.Operand<T>(B), (int)bStored[^2], (int)bStored[^1]) : Gemm.Operand<T>(B);
            var c = new T[ShapeMath.ElementCount(OutputShape)];

            // Batch axes broadcast: output matrix i multiplies A's matrix aIndex[i] by B's matrix bIndex[i].
            var batch = Broadcasting.Numpy(aStored[..^2], bStored[..^2]);
            var aIndex = Broadcasting.IndexMap(batch, aStored[..^2]);
            var bIndex = Broadcasting.IndexMap(batch, bStored[..^2]);
            var aView = TransposeA ? new MatrixView<T>(a, 0, RowStride: 1, ColumnStride: rows) : new MatrixView<T>(a, 0, RowStride: depth);
            var parallelBatches = aIndex.Length >= 2 * Environment.ProcessorCount;
            Action<int> multiply = i =>
            {
                var (left, right, result) = (aView with { Offset = aIndex[i] * aMatrix }, new MatrixView<T>(b, bIndex[i] * bMatrix, RowStride: columns),
                    new MatrixView<T>(c, i * rows * columns, RowStride: columns));
                if (parallelBatches)
                {
                    Gemm.Multiply(rows, columns, depth, left, right, result);
                }
                else
                {
                    Gemm.MultiplyParallel(rows, columns, depth, left, right, result);
                }
            };
            if (parallelBatches)
            {
                Parallel.For(0, aIndex.Length, multiply);
            }
            else
            {
                for (var i = 0; i < aIndex.Length; i++)
                {
                    multiply(i);
                }
            }

            return Gemm.Result(A.Type, OutputShape, c);
        }
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
