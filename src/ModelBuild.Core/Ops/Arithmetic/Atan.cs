using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AtanKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Atan = UnaryOp.Float<AtanKernel>("Atan", version: 1);
}
