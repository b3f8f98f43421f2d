using ModelBuild.Core.Reference;
using Xunit;

namespace ModelBuild.Core.Tests.Reference;

/// <summary>The shared matrix product, against the textbook triple loop on shapes that hit every tile and edge.</summary>
public sealed class GemmTests
{
    // Rows around the 4-row tile, columns around the 2-vector panel and the scalar edge, depth past one 256 block;
    // the last shapes are large enough for the parallel split.
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 },
        { 1, 1024, 256 },
        { 3, 5, 7 },
        { 4, 16, 256 },
        { 5, 17, 300 },
        { 9, 33, 2 },
        { 70, 130, 40 },
        { 130, 1000, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_products_match_the_triple_loop(int rows, int columns, int depth)
    {
        var random = new Random(rows * 1000 + columns + depth);
        var a = Enumerable.Range(0, rows * depth).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, depth * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var c = new float[rows * columns];

        Gemm.MultiplyParallel(rows, columns, depth, new MatrixView<float>(a, 0, depth), new MatrixView<float>(b, 0, columns), new MatrixView<float>(c, 0, columns));

        var expected = TripleLoop(rows, columns, depth, (i, k) => a[i * depth + k], (k, j) => b[k * columns + j]);
        for (var i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5 * depth, $"element {i}: {c[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Double_products_stay_double_precise_and_accumulate_into_c()
    {
        const int rows = 6, columns = 11, depth = 300;
        var a = Enumerable.Range(0, rows * depth).Select(i => 1 + i * 1e-9).ToArray();
        var b = Enumerable.Range(0, depth * columns).Select(i => 1 - i * 1e-9).ToArray();
        var c = Enumerable.Repeat(0.5, rows * columns).ToArray();

        Gemm.Multiply(rows, columns, depth, new MatrixView<double>(a, 0, depth), new MatrixView<double>(b, 0, columns), new MatrixView<double>(c, 0, columns), accumulate: true);

        var expected = TripleLoop(rows, columns, depth, (i, k) => a[i * depth + k], (k, j) => b[k * columns + j]);
        for (var i = 0; i < c.Length; i++)
        {
            Assert.Equal(0.5 + expected[i], c[i], 1e-11);
        }
    }

    [Fact]
    public void A_transposed_through_its_strides_needs_no_copy()
    {
        const int rows = 7, columns = 19, depth = 13;
        var random = new Random(7);
        var aTransposed = Enumerable.Range(0, depth * rows).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, depth * columns).Select(_ => (float)random.NextDouble()).ToArray();
        var c = new float[rows * columns];

        Gemm.Multiply(rows, columns, depth, new MatrixView<float>(aTransposed, 0, rows).Transposed, new MatrixView<float>(b, 0, columns), new MatrixView<float>(c, 0, columns));

        var expected = TripleLoop(rows, columns, depth, (i, k) => aTransposed[k * rows + i], (k, j) => b[k * columns + j]);
        Assert.All(Enumerable.Range(0, c.Length), i => Assert.Equal(expected[i], c[i], 1e-5));
    }

    [Fact]
    public void Integer_products_are_exact_and_wrap_like_c()
    {
        const int rows = 5, columns = 21, depth = 9;
        var a = Enumerable.Range(0, rows * depth).Select(i => i % 2 == 0 ? int.MaxValue - i : -255 + i).ToArray();
        var b = Enumerable.Range(0, depth * columns).Select(i => 255 - i % 511).ToArray();
        var c = new int[rows * columns];

        Gemm.Multiply(rows, columns, depth, new MatrixView<int>(a, 0, depth), new MatrixView<int>(b, 0, columns), new MatrixView<int>(c, 0, columns));

        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var sum = 0;
                for (var k = 0; k < depth; k++)
                {
                    sum = unchecked(sum + a[i * depth + k] * b[k * columns + j]);
                }

                Assert.Equal(sum, c[i * columns + j]);
            }
        }
    }

    [Fact]
    public void Transposed_matrices_transposes_each_matrix_of_a_stack()
    {
        const int rows = 37, columns = 45;
        var values = Enumerable.Range(0, 2 * rows * columns).ToArray();

        var transposed = Gemm.TransposedMatrices(values, rows, columns);

        for (var m = 0; m < 2; m++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var col = 0; col < columns; col++)
                {
                    Assert.Equal(values[m * rows * columns + r * columns + col], transposed[m * rows * columns + col * rows + r]);
                }
            }
        }
    }

    [Fact]
    public void Views_that_do_not_fit_their_arrays_are_rejected()
    {
        var small = new float[10];
        var enough = new float[100];

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(4, 4, 4, new MatrixView<float>(small, 0, 4), new MatrixView<float>(enough, 0, 4), new MatrixView<float>(enough, 0, 4)));
        Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(4, 4, 4, new MatrixView<float>(enough, 0, 4), new MatrixView<float>(enough, 0, 4).Transposed, new MatrixView<float>(enough, 0, 4)));
    }

    private static double[] TripleLoop(int rows, int columns, int depth, Func<int, int, double> a, Func<int, int, double> b)
    {
        var c = new double[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                for (var k = 0; k < depth; k++)
                {
                    c[i * columns + j] += a(i, k) * b(k, j);
                }
            }
        }

        return c;
    }
}
