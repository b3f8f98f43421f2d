using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct TanKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Tan(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Tan = UnaryOp.Float<TanKernel>("Tan", version: 1);
}
