using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AcosKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Acos = UnaryOp.Float<AcosKernel>("Acos", version: 1);
}
