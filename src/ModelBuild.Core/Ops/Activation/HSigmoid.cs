using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>min(max(x + 3, 0), 6) / 6.</summary>
public readonly struct HSigmoidKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var three = T.CreateTruncating(3.0);
        var six = T.CreateTruncating(6.0);
        return T.Min(T.Max(x + three, T.Zero), six) / six;
    }
}

public static partial class ActivationOps
{
    public static readonly OpDefinition HSigmoid = UnaryOp.Float<HSigmoidKernel>("HSigmoid", version: 5);
}
