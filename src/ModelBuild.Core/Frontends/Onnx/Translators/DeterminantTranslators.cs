using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Det: OpenVINO has no determinant op. For the small matrices it is used on, the Leibniz formula
/// det A = Σ_σ sign(σ) Π_i A[i, σ(i)] is exact and branch-free: one Gather of the n! permuted
/// diagonals, a product over each, and a signed sum.
/// </summary>
public static class DeterminantTranslators
{
    /// <summary>n! terms of n factors: 6 × 6 (720 terms) is where this stops being reasonable.</summary>
    private const int LargestOrder = 6;

    public static IReadOnlyList<Output> Det(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var shape = x.Shape;
        if (!shape.IsRankStatic || shape.Rank < 2 || !shape[shape.Rank - 1].IsStatic || shape[shape.Rank - 1] != shape[shape.Rank - 2])
        {
            throw context.Error($"the input must be [..., n, n] with a known n, not {shape.ToDisplayString()}");
        }

        var rank = shape.Rank;
        var n = (int)shape[rank - 1].Length;
        if (n > LargestOrder)
        {
            throw context.Error($"determinants of {n} × {n} matrices are not supported (at most {LargestOrder} × {LargestOrder})");
        }

        var permutations = Permutations(n);
        var indices = permutations.SelectMany(p => p.Order.Select((column, row) => (long)(row * n + column))).ToArray();
        var signs = permutations.Select(p => (double)p.Sign).ToArray();

        // Batch dims are kept (0 copies them); each matrix becomes one row of n·n entries.
        var flat = b.Reshape(x, [.. Enumerable.Repeat(0L, rank - 2), n * n]);
        var terms = b.Gather(flat, b.Constant(Tensor.FromArray(indices, permutations.Count, n)), rank - 2);
        var products = b.Make(ReductionOps.ReduceProd, [terms, b.Int64s(-1)], ("keep_dims", false));
        var signed = b.Multiply(products, b.Constant(Tensor.FromDoubles(x.Type, signs, [signs.Length])));
        return [b.Make(ReductionOps.ReduceSum, [signed, b.Int64s(-1)], ("keep_dims", false))];
    }

    /// <summary>Every permutation of 0..n−1 with its sign (Heap's algorithm: each step is one swap).</summary>
    private static List<(int[] Order, int Sign)> Permutations(int n)
    {
        var result = new List<(int[] Order, int Sign)>();
        var order = Enumerable.Range(0, n).ToArray();
        var counters = new int[n];
        var sign = 1;
        result.Add(((int[])order.Clone(), sign));
        var i = 1;
        while (i < n)
        {
            if (counters[i] < i)
            {
                var other = i % 2 == 0 ? 0 : counters[i];
                (order[other], order[i]) = (order[i], order[other]);
                sign = -sign;
                result.Add(((int[])order.Clone(), sign));
                counters[i]++;
                i = 1;
            }
            else
            {
                counters[i] = 0;
                i++;
            }
        }

        return result;
    }
}
