using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AcoshKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Acosh(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Acosh = UnaryOp.Float<AcoshKernel>("Acosh", version: 4);
}
