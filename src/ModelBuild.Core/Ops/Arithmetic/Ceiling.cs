using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct CeilingKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> =>
        Elementwise.IsFloat<T>() ? T.CreateTruncating(Math.Ceiling(double.CreateTruncating(x))) : x;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Ceiling = UnaryOp.Numeric<CeilingKernel>("Ceiling", version: 1);
}
