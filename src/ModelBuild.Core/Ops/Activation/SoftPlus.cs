using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>log(1 + exp(x)), computed without overflow for large x.</summary>
public readonly struct SoftPlusKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x > T.CreateTruncating(20.0) ? x : T.Log(T.One + T.Exp(x));
}

public static partial class ActivationOps
{
    public static readonly OpDefinition SoftPlus = UnaryOp.Float<SoftPlusKernel>("SoftPlus", version: 4);
}
