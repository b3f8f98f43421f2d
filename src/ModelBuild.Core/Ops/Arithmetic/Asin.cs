using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AsinKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Asin = UnaryOp.Float<AsinKernel>("Asin", version: 1);
}
