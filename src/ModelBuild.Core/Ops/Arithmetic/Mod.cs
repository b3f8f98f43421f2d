using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Remainder with the sign of the dividend (C's fmod).</summary>
public readonly struct TruncateModKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => !Elementwise.IsFloat<T>() && b == T.Zero ? T.Zero : a % b;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Mod = new ArithmeticOp<TruncateModKernel>("Mod", version: 1);
}
