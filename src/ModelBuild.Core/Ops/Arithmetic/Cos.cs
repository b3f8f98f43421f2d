using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct CosKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Cos = UnaryOp.Float<CosKernel>("Cos", version: 1);
}
