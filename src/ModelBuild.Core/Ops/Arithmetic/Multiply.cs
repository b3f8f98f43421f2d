using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct MultiplyKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a * b;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Multiply = new ArithmeticOp<MultiplyKernel>("Multiply", version: 1, symbolic: (a, b) => a * b);
}
