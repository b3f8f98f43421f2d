using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct MishKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * T.Tanh(default(SoftPlusKernel).Apply(x));
}

public static partial class ActivationOps
{
    public static readonly OpDefinition Mish = UnaryOp.Float<MishKernel>("Mish", version: 4);
}
