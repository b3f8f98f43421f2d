using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SoftSignKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Abs(x));
}

public static partial class ActivationOps
{
    public static readonly OpDefinition SoftSign = UnaryOp.Float<SoftSignKernel>("SoftSign", version: 9);
}
