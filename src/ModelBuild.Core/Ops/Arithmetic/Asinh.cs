using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AsinhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Asinh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Asinh = UnaryOp.Float<AsinhKernel>("Asinh", version: 4);
}
