using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct TanhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Tanh = UnaryOp.Float<TanhKernel>("Tanh", version: 1);
}
