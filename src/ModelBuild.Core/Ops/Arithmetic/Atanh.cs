using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AtanhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Atanh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Atanh = UnaryOp.Float<AtanhKernel>("Atanh", version: 4);
}
