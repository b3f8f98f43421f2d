using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SquaredDifferenceKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => (a - b) * (a - b);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition SquaredDifference = new ArithmeticOp<SquaredDifferenceKernel>("SquaredDifference", version: 1);
}
