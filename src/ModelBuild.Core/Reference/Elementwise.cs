using System.Numerics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Reference;

/// <summary>A binary operation on numbers of any type (integer arithmetic wraps).</summary>
public interface IBinaryKernel
{
    T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>;
}

/// <summary>A comparison of two numbers of the same type.</summary>
public interface IComparisonKernel
{
    bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>;
}

/// <summary>A unary operation defined for every numeric type.</summary>
public interface IUnaryKernel
{
    T Apply<T>(T x)
        where T : unmanaged, INumber<T>;
}

/// <summary>A unary operation defined for floating-point types (f32, f64).</summary>
public interface IFloatUnaryKernel
{
    T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A function generic over the element type of a numeric array.</summary>
public interface INumericArrayFunc<out TResult>
{
    TResult Invoke<T>(T[] data)
        where T : unmanaged, INumber<T>;
}

/// <summary>
/// Element-wise evaluation with NumPy broadcasting, generic over the element type. Kernels are
/// structs, so each (kernel, type) pair compiles to a tight loop without delegate calls. Outputs are
/// filled in contiguous runs (<see cref="BroadcastPlan"/>), ranges of them on all cores (<see cref="ParallelRanges"/>).
/// </summary>
public static class Elementwise
{
    /// <summary>Calls <paramref name="func"/> with the typed array of a numeric tensor.</summary>
    public static TResult Dispatch<TFunc, TResult>(Tensor tensor, TFunc func)
        where TFunc : INumericArrayFunc<TResult> => tensor.Type switch
        {
            // Dispatch on the element type, never on the array's runtime type: the CLR lets a byte[] pass as sbyte[].
            ElementType.F32 => func.Invoke((float[])tensor.Data),
            ElementType.F64 => func.Invoke((double[])tensor.Data),
            ElementType.F16 => func.Invoke((Half[])tensor.Data),
            ElementType.I8 or ElementType.I4 => func.Invoke((sbyte[])tensor.Data),
            ElementType.U8 or ElementType.U4 or ElementType.U1 => func.Invoke((byte[])tensor.Data),
            ElementType.I16 => func.Invoke((short[])tensor.Data),
            ElementType.U16 => func.Invoke((ushort[])tensor.Data),
            ElementType.I32 => func.Invoke((int[])tensor.Data),
            ElementType.U32 => func.Invoke((uint[])tensor.Data),
            ElementType.I64 => func.Invoke((long[])tensor.Data),
            ElementType.U64 => func.Invoke((ulong[])tensor.Data),
            _ => throw new InferenceException($"{tensor.Type.IrName()} is not a numeric element type."),
        };

    public static Tensor Binary<TKernel>(Tensor a, Tensor b, TKernel kernel)
        where TKernel : struct, IBinaryKernel
    {
        RequireSameType(a, b);
        var shape = Broadcasting.Numpy(a.Shape, b.Shape);
        var data = Dispatch<BinaryFunc<TKernel>, Array>(a, new BinaryFunc<TKernel>(b, a.Shape, shape, kernel));
        return new Tensor(a.Type, shape, data);
    }

    public static Tensor Compare<TKernel>(Tensor a, Tensor b, TKernel kernel)
        where TKernel : struct, IComparisonKernel
    {
        RequireSameType(a, b);
        if (a.Type == ElementType.Boolean)
        {
            a = a.ConvertTo(ElementType.U8);
            b = b.ConvertTo(ElementType.U8);
        }

        var shape = Broadcasting.Numpy(a.Shape, b.Shape);
        var data = Dispatch<CompareFunc<TKernel>, bool[]>(a, new CompareFunc<TKernel>(b, a.Shape, shape, kernel));
        return new Tensor(ElementType.Boolean, shape, data);
    }

    public static Tensor Unary<TKernel>(Tensor x, TKernel kernel)
        where TKernel : struct, IUnaryKernel =>
        new(x.Type, x.Shape, Dispatch<UnaryFunc<TKernel>, Array>(x, new UnaryFunc<TKernel>(kernel)));

    public static Tensor FloatUnary<TKernel>(Tensor x, TKernel kernel)
        where TKernel : struct, IFloatUnaryKernel => x.Type switch
        {
            ElementType.F32 => new Tensor(x.Type, x.Shape, MapFloat((float[])x.Data, kernel)),
            ElementType.F64 => new Tensor(x.Type, x.Shape, MapFloat((double[])x.Data, kernel)),
            _ => throw new InferenceException($"{x.Type.IrName()} is not a floating-point type."),
        };

    /// <summary>Applies a boolean function to boolean tensors with broadcasting (logical ops).</summary>
    public static Tensor Logical(Tensor a, Tensor b, Func<bool, bool, bool> function)
    {
        var shape = Broadcasting.Numpy(a.Shape, b.Shape);
        return new Tensor(ElementType.Boolean, shape, Broadcast<bool, bool, LogicalPair>(a.As<bool>(), a.Shape, b.As<bool>(), b.Shape, shape, new LogicalPair(function)));
    }

    /// <summary>True when <typeparamref name="T"/> is a floating-point type.</summary>
    public static bool IsFloat<T>()
        where T : INumber<T> => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);

    private static void RequireSameType(Tensor a, Tensor b)
    {
        if (a.Type != b.Type)
        {
            throw new InferenceException($"Inputs have different element types ({a.Type.IrName()} and {b.Type.IrName()}).");
        }
    }

    /// <summary>result[i] = pair(x[i'], y[i'']) over the broadcast <paramref name="shape"/>, run by run, ranges in parallel.</summary>
    private static TResult[] Broadcast<T, TResult, TPair>(T[] x, long[] xShape, T[] y, long[] yShape, long[] shape, TPair pair)
        where TPair : struct, IElementPair<T, TResult>
    {
        var plan = new BroadcastPlan(shape, xShape, yShape);
        var result = new TResult[plan.Count];
        var (xStep, yStep) = (plan.RunStrides[0], plan.RunStrides[1]);
        ParallelRanges.For(plan.Count, (start, end) =>
        {
            for (var i = start; i < end;)
            {
                var run = i / plan.RunLength;
                var along = i % plan.RunLength;
                var length = (int)Math.Min(plan.RunLength - along, end - i);
                var target = result.AsSpan((int)i, length);
                var xs = x.AsSpan((int)(plan.RunStart(0, run) + along * xStep));
                var ys = y.AsSpan((int)(plan.RunStart(1, run) + along * yStep));
                if (xStep == 1 && yStep == 1)
                {
                    for (var j = 0; j < target.Length; j++)
                    {
                        target[j] = pair.Apply(xs[j], ys[j]);
                    }
                }
                else if (xStep == 1)
                {
                    var value = ys[0];
                    for (var j = 0; j < target.Length; j++)
                    {
                        target[j] = pair.Apply(xs[j], value);
                    }
                }
                else if (yStep == 1)
                {
                    var value = xs[0];
                    for (var j = 0; j < target.Length; j++)
                    {
                        target[j] = pair.Apply(value, ys[j]);
                    }
                }
                else
                {
                    target.Fill(pair.Apply(xs[0], ys[0]));
                }

                i += length;
            }
        });
        return result;
    }

    private static T[] MapFloat<T, TKernel>(T[] x, TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IFloatUnaryKernel
    {
        var result = new T[x.Length];
        ParallelRanges.For(x.Length, (start, end) =>
        {
            for (var i = (int)start; i < end; i++)
            {
                result[i] = kernel.Apply(x[i]);
            }
        });
        return result;
    }

    /// <summary>The function of a pair of operand elements that <see cref="Broadcast"/> applies.</summary>
    private interface IElementPair<in T, out TResult>
    {
        TResult Apply(T a, T b);
    }

    private readonly struct ArithmeticPair<T, TKernel>(TKernel kernel) : IElementPair<T, T>
        where T : unmanaged, INumber<T>
        where TKernel : struct, IBinaryKernel
    {
        public T Apply(T a, T b) => kernel.Apply(a, b);
    }

    private readonly struct ComparisonPair<T, TKernel>(TKernel kernel) : IElementPair<T, bool>
        where T : unmanaged, INumber<T>
        where TKernel : struct, IComparisonKernel
    {
        public bool Apply(T a, T b) => kernel.Apply(a, b);
    }

    private readonly struct LogicalPair(Func<bool, bool, bool> function) : IElementPair<bool, bool>
    {
        public bool Apply(bool a, bool b) => function(a, b);
    }

    private readonly struct UnaryFunc<TKernel>(TKernel kernel) : INumericArrayFunc<Array>
        where TKernel : struct, IUnaryKernel
    {
        public Array Invoke<T>(T[] data)
            where T : unmanaged, INumber<T>
        {
            var result = new T[data.Length];
            var unary = kernel;
            ParallelRanges.For(data.Length, (start, end) =>
            {
                for (var i = (int)start; i < end; i++)
                {
                    result[i] = unary.Apply(data[i]);
                }
            });
            return result;
        }
    }

    private readonly struct BinaryFunc<TKernel>(Tensor b, long[] aShape, long[] shape, TKernel kernel) : INumericArrayFunc<Array>
        where TKernel : struct, IBinaryKernel
    {
        public Array Invoke<T>(T[] x)
            where T : unmanaged, INumber<T> => Broadcast<T, T, ArithmeticPair<T, TKernel>>(x, aShape, (T[])b.Data, b.Shape, shape, new(kernel));
    }

    private readonly struct CompareFunc<TKernel>(Tensor b, long[] aShape, long[] shape, TKernel kernel) : INumericArrayFunc<bool[]>
        where TKernel : struct, IComparisonKernel
    {
        public bool[] Invoke<T>(T[] x)
            where T : unmanaged, INumber<T> => Broadcast<T, bool, ComparisonPair<T, TKernel>>(x, aShape, (T[])b.Data, b.Shape, shape, new(kernel));
    }
}
