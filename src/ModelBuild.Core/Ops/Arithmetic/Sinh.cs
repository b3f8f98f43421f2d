using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SinhKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Sinh = UnaryOp.Float<SinhKernel>("Sinh", version: 1);
}
