using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct CoshKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Cosh = UnaryOp.Float<CoshKernel>("Cosh", version: 1);
}
