using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct ExpKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
}

public static partial class ActivationOps
{
    public static readonly OpDefinition Exp = UnaryOp.Float<ExpKernel>("Exp", version: 1);
}
