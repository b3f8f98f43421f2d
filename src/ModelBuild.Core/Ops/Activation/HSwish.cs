using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>x · min(max(x + 3, 0), 6) / 6.</summary>
public readonly struct HSwishKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * default(HSigmoidKernel).Apply(x);
}

public static partial class ActivationOps
{
    public static readonly OpDefinition HSwish = UnaryOp.Float<HSwishKernel>("HSwish", version: 4);
}
