using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AbsKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => x < T.Zero ? -x : x;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Abs = UnaryOp.Numeric<AbsKernel>("Abs", version: 1);
}
