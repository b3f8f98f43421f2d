using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Remainder with the sign of the divisor (Python's %).</summary>
public readonly struct FloorModKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        if (!Elementwise.IsFloat<T>() && b == T.Zero)
        {
            return T.Zero;
        }

        var remainder = a % b;
        return remainder != T.Zero && (remainder < T.Zero) != (b < T.Zero) ? remainder + b : remainder;
    }
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition FloorMod = new ArithmeticOp<FloorModKernel>("FloorMod", version: 1);
}
