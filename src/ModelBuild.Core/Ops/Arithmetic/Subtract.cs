using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SubtractKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a - b;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Subtract = new ArithmeticOp<SubtractKernel>("Subtract", version: 1, symbolic: (a, b) => a.IsStatic && b.IsStatic && a.Length >= b.Length ? a - b : null);
}
