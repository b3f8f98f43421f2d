using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>A computation generic over the element type a product kernel computes in (see <see cref="Gemm.Dispatch"/>).</summary>
public interface IProductComputation<out TResult>
{
    TResult Invoke<T>()
        where T : unmanaged, INumber<T>;
}

/// <summary>
/// A matrix inside a flat array: element (row, column) is <c>Data[Offset + row·RowStride + column·ColumnStride]</c>.
/// Transposing a view swaps its strides; nothing is copied.
/// </summary>
public readonly record struct MatrixView<T>(T[] Data, int Offset, int RowStride, int ColumnStride = 1)
{
    public MatrixView<T> Transposed => this with { RowStride = ColumnStride, ColumnStride = RowStride };

    /// <summary>The view moved to start at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public MatrixView<T> At(int row, int column) => this with { Offset = Offset + row * RowStride + column * ColumnStride };

    /// <summary>The flat index of the last element of a rows × columns block (for bounds checks).</summary>
    public long LastIndex(int rows, int columns) => Offset + (long)(rows - 1) * RowStride + (long)(columns - 1) * ColumnStride;
}

/// <summary>
/// The matrix product every heavy kernel of the evaluator reduces to (convolutions after im2col, MatMul,
/// the recurrent cells): C = A·B, or C += A·B, for f32, f64, i32 and i64 (integers wrap, as in C).
/// <para>
/// It is the textbook blocked algorithm, kept short. C is cut into tiles of <see cref="TileRows"/> rows by two
/// vectors of columns; a tile's sums stay in registers while the depth runs through one block of
/// <see cref="DepthBlock"/> (the block of B it reads stays in cache for all the tiles of its columns); each step
/// multiplies a broadcast element of A with vectors of a row of B (fused multiply-add where the hardware has it).
/// <see cref="MultiplyParallel"/> splits C into blocks run on all cores. B and C must have unit column strides
/// (rows contiguous); A may have any strides, so a transposed A costs nothing.
/// </para>
/// </summary>
public static class Gemm
{
    /// <summary>Rows of C a micro-tile holds in registers.</summary>
    private const int TileRows = 4;

    /// <summary>Depth (inner dimension) handled per pass over a tile, so the block of B stays in cache.</summary>
    private const int DepthBlock = 256;

    /// <summary>Below this many multiply-adds a product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 18;

    /// <summary>
    /// The type products of <paramref name="type"/> are computed in: f32 for f32 (and f16/bf16, which the evaluator
    /// widens), f64 for f64, i64 for 64-bit integers and i32 for narrower ones — a wrapped integer sum's low bits do
    /// not depend on the width it was computed in, so converting the i32 result to the narrower type is exact.
    /// </summary>
    public static ElementType ComputeType(ElementType type) => type switch
    {
        ElementType.F64 => ElementType.F64,
        ElementType.I64 or ElementType.U64 => ElementType.I64,
        _ when type.IsInteger() || type == ElementType.Boolean => ElementType.I32,
        _ => ElementType.F32,
    };

    /// <summary>Runs <paramref name="computation"/> in the compute type of <paramref name="type"/>.</summary>
    public static TResult Dispatch<TComputation, TResult>(ElementType type, TComputation computation)
        where TComputation : IProductComputation<TResult> => ComputeType(type) switch
        {
            ElementType.F32 => computation.Invoke<float>(),
            ElementType.F64 => computation.Invoke<double>(),
            ElementType.I32 => computation.Invoke<int>(),
            _ => computation.Invoke<long>(),
        };

    /// <summary>The elements of <paramref name="tensor"/> in the compute type <typeparamref name="T"/> (no copy when it already is).</summary>
    public static T[] Operand<T>(Tensor tensor)
        where T : unmanaged, INumber<T> => tensor.ConvertTo(ElementTypeOf<T>()).As<T>();

    /// <summary>A tensor of <paramref name="type"/> from a result computed in <typeparamref name="T"/>.</summary>
    public static Tensor Result<T>(ElementType type, long[] shape, T[] values)
        where T : unmanaged, INumber<T> => new Tensor(ElementTypeOf<T>(), shape, values).ConvertTo(type);

    /// <summary>
    /// Each [<paramref name="rows"/> × <paramref name="columns"/>] matrix of a stack, transposed: the kernel reads
    /// rows of B as vectors, so a B used transposed (MatMul's transpose_b, the weights of recurrent cells) is copied
    /// so once. Square tiles are copied at a time, so reads and writes both stay within a few cache lines.
    /// </summary>
    public static T[] TransposedMatrices<T>(T[] values, int rows, int columns)
    {
        const int tile = 32;
        var result = new T[values.Length];
        var size = rows * columns;
        for (var start = 0; start < values.Length; start += size)
        {
            for (var rowTile = 0; rowTile < rows; rowTile += tile)
            {
                for (var columnTile = 0; columnTile < columns; columnTile += tile)
                {
                    for (var r = rowTile; r < Math.Min(rowTile + tile, rows); r++)
                    {
                        for (var column = columnTile; column < Math.Min(columnTile + tile, columns); column++)
                        {
                            result[start + column * rows + r] = values[start + r * columns + column];
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Whether <typeparamref name="T"/> has a kernel: f32, f64, i32, i64.</summary>
    public static bool Supports<T>() =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(int) || typeof(T) == typeof(long);

    /// <summary>
    /// C[rows × columns] = A[rows × depth]·B[depth × columns] (or C += A·B when <paramref name="accumulate"/>), split
    /// into blocks of C computed in parallel.
    /// </summary>
    public static void MultiplyParallel<T>(int rows, int columns, int depth, MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, bool accumulate = false)
        where T : unmanaged, INumber<T>
    {
        if ((long)rows * columns * depth < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            Multiply(rows, columns, depth, a, b, c, accumulate);
            return;
        }

        // Blocks of whole column panels (a multiple of the tile width), with enough blocks to keep every core busy
        // while each still does a good share of work.
        var panel = 2 * Vector<T>.Count;
        var columnBlock = Math.Max(panel, Math.Min(512, RoundUp(columns, panel)));
        var columnBlocks = DivideUp(columns, columnBlock);
        var rowBlocks = Math.Clamp(4 * Environment.ProcessorCount / columnBlocks, 1, DivideUp(rows, TileRows));
        var rowBlock = RoundUp(DivideUp(rows, rowBlocks), TileRows);
        rowBlocks = DivideUp(rows, rowBlock);
        Parallel.For(0, rowBlocks * columnBlocks, block =>
        {
            var row = block / columnBlocks * rowBlock;
            var column = block % columnBlocks * columnBlock;
            Multiply(Math.Min(rowBlock, rows - row), Math.Min(columnBlock, columns - column), depth,
                a.At(row, 0), b.At(0, column), c.At(row, column), accumulate);
        });
    }

    /// <summary>C[rows × columns] = A[rows × depth]·B[depth × columns] (or C += A·B), on the calling thread.</summary>
    public static void Multiply<T>(int rows, int columns, int depth, MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, bool accumulate = false)
        where T : unmanaged, INumber<T>
    {
        if (!Supports<T>())
        {
            throw new NotSupportedException($"The matrix product has no kernel for {typeof(T).Name}.");
        }

        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (b.ColumnStride != 1 || c.ColumnStride != 1)
        {
            throw new ArgumentException("B and C must have contiguous rows.");
        }

        CheckBounds(c, rows, columns);
        if (depth == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < rows; i++)
                {
                    c.Data.AsSpan(c.Offset + i * c.RowStride, columns).Clear();
                }
            }

            return;
        }

        CheckBounds(a, rows, depth);
        CheckBounds(b, depth, columns);
        for (var k = 0; k < depth; k += DepthBlock)
        {
            var block = Math.Min(DepthBlock, depth - k);
            MultiplyDepthBlock(rows, columns, block, a.At(0, k), b.At(k, 0), c, accumulate || k > 0);
        }
    }

    private static void MultiplyDepthBlock<T>(int rows, int columns, int depth, MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        var width = Vector<T>.Count;
        var column = 0;
        for (; column + 2 * width <= columns; column += 2 * width)
        {
            var row = 0;
            for (; row + TileRows <= rows; row += TileRows)
            {
                TileOfFourRows(depth, a.At(row, 0), b.At(0, column), c.At(row, column), accumulate);
            }

            for (; row < rows; row++)
            {
                TileOfOneRow(depth, a.At(row, 0), b.At(0, column), c.At(row, column), accumulate, vectors: 2);
            }
        }

        for (; column + width <= columns; column += width)
        {
            for (var row = 0; row < rows; row++)
            {
                TileOfOneRow(depth, a.At(row, 0), b.At(0, column), c.At(row, column), accumulate, vectors: 1);
            }
        }

        // The last columns, fewer than a vector: one element at a time.
        for (; column < columns; column++)
        {
            for (var row = 0; row < rows; row++)
            {
                var sum = accumulate ? c.Data[c.Offset + row * c.RowStride + column] : T.Zero;
                for (var k = 0; k < depth; k++)
                {
                    sum += a.Data[a.Offset + row * a.RowStride + k * a.ColumnStride] * b.Data[b.Offset + k * b.RowStride + column];
                }

                c.Data[c.Offset + row * c.RowStride + column] = sum;
            }
        }
    }

    // C[4 × 2 vectors] (+)= A[4 × depth]·B[depth × 2 vectors]: eight accumulators in registers. Bounds were checked
    // for the whole product by Multiply, so the loads skip them.
    private static void TileOfFourRows<T>(int depth, MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        ref var aData = ref MemoryMarshal.GetArrayDataReference(a.Data);
        ref var bData = ref MemoryMarshal.GetArrayDataReference(b.Data);
        ref var c0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c.Data), c.Offset);
        ref var c1 = ref Unsafe.Add(ref c0, c.RowStride);
        ref var c2 = ref Unsafe.Add(ref c1, c.RowStride);
        ref var c3 = ref Unsafe.Add(ref c2, c.RowStride);
        var width = (nuint)Vector<T>.Count;
        Vector<T> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        if (accumulate)
        {
            (s00, s01) = (Vector.LoadUnsafe(ref c0), Vector.LoadUnsafe(ref c0, width));
            (s10, s11) = (Vector.LoadUnsafe(ref c1), Vector.LoadUnsafe(ref c1, width));
            (s20, s21) = (Vector.LoadUnsafe(ref c2), Vector.LoadUnsafe(ref c2, width));
            (s30, s31) = (Vector.LoadUnsafe(ref c3), Vector.LoadUnsafe(ref c3, width));
        }

        var aIndex = a.Offset;
        var bIndex = b.Offset;
        for (var k = 0; k < depth; k++, aIndex += a.ColumnStride, bIndex += b.RowStride)
        {
            var b0 = Vector.LoadUnsafe(ref bData, (nuint)bIndex);
            var b1 = Vector.LoadUnsafe(ref bData, (nuint)bIndex + width);
            var a0 = new Vector<T>(Unsafe.Add(ref aData, aIndex));
            var a1 = new Vector<T>(Unsafe.Add(ref aData, aIndex + a.RowStride));
            var a2 = new Vector<T>(Unsafe.Add(ref aData, aIndex + 2 * a.RowStride));
            var a3 = new Vector<T>(Unsafe.Add(ref aData, aIndex + 3 * a.RowStride));
            s00 = MultiplyAdd(a0, b0, s00);
            s01 = MultiplyAdd(a0, b1, s01);
            s10 = MultiplyAdd(a1, b0, s10);
            s11 = MultiplyAdd(a1, b1, s11);
            s20 = MultiplyAdd(a2, b0, s20);
            s21 = MultiplyAdd(a2, b1, s21);
            s30 = MultiplyAdd(a3, b0, s30);
            s31 = MultiplyAdd(a3, b1, s31);
        }

        s00.StoreUnsafe(ref c0);
        s01.StoreUnsafe(ref c0, width);
        s10.StoreUnsafe(ref c1);
        s11.StoreUnsafe(ref c1, width);
        s20.StoreUnsafe(ref c2);
        s21.StoreUnsafe(ref c2, width);
        s30.StoreUnsafe(ref c3);
        s31.StoreUnsafe(ref c3, width);
    }

    // C[1 × vectors] (+)= A[1 × depth]·B[depth × vectors], for one or two vectors of columns. Even and odd steps of
    // the depth sum into separate registers, so consecutive multiply-adds do not wait for each other (a single row
    // has no other rows to interleave, and matrix-vector products, as in recurrent cells, are all single rows).
    private static void TileOfOneRow<T>(int depth, MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, bool accumulate, int vectors)
        where T : unmanaged, INumber<T>
    {
        ref var aData = ref MemoryMarshal.GetArrayDataReference(a.Data);
        ref var bData = ref MemoryMarshal.GetArrayDataReference(b.Data);
        ref var c0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c.Data), c.Offset);
        var width = (nuint)Vector<T>.Count;
        var even0 = accumulate ? Vector.LoadUnsafe(ref c0) : default;
        var even1 = accumulate && vectors == 2 ? Vector.LoadUnsafe(ref c0, width) : default;
        Vector<T> odd0 = default, odd1 = default;
        var aIndex = a.Offset;
        var bIndex = b.Offset;
        var k = 0;
        for (; k + 1 < depth; k += 2, aIndex += 2 * a.ColumnStride, bIndex += 2 * b.RowStride)
        {
            var aEven = new Vector<T>(Unsafe.Add(ref aData, aIndex));
            var aOdd = new Vector<T>(Unsafe.Add(ref aData, aIndex + a.ColumnStride));
            even0 = MultiplyAdd(aEven, Vector.LoadUnsafe(ref bData, (nuint)bIndex), even0);
            odd0 = MultiplyAdd(aOdd, Vector.LoadUnsafe(ref bData, (nuint)(bIndex + b.RowStride)), odd0);
            if (vectors == 2)
            {
                even1 = MultiplyAdd(aEven, Vector.LoadUnsafe(ref bData, (nuint)bIndex + width), even1);
                odd1 = MultiplyAdd(aOdd, Vector.LoadUnsafe(ref bData, (nuint)(bIndex + b.RowStride) + width), odd1);
            }
        }

        if (k < depth)
        {
            var aLast = new Vector<T>(Unsafe.Add(ref aData, aIndex));
            even0 = MultiplyAdd(aLast, Vector.LoadUnsafe(ref bData, (nuint)bIndex), even0);
            even1 = vectors == 2 ? MultiplyAdd(aLast, Vector.LoadUnsafe(ref bData, (nuint)bIndex + width), even1) : even1;
        }

        (even0 + odd0).StoreUnsafe(ref c0);
        if (vectors == 2)
        {
            (even1 + odd1).StoreUnsafe(ref c0, width);
        }
    }

    /// <summary>a·b + c, fused into one instruction for floats where the hardware can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        }

        return a * b + c;
    }

    private static ElementType ElementTypeOf<T>() =>
        typeof(T) == typeof(float) ? ElementType.F32
        : typeof(T) == typeof(double) ? ElementType.F64
        : typeof(T) == typeof(int) ? ElementType.I32
        : typeof(T) == typeof(long) ? ElementType.I64
        : throw new NotSupportedException($"The matrix product has no kernel for {typeof(T).Name}.");

    private static void CheckBounds<T>(MatrixView<T> view, int rows, int columns)
    {
        if (view.Offset < 0 || view.RowStride < 0 || view.ColumnStride < 0 || view.LastIndex(rows, columns) >= view.Data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(view), $"A {rows}×{columns} matrix does not fit its array of {view.Data.Length}.");
        }
    }

    private static int DivideUp(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivideUp(value, multiple) * multiple;
}
