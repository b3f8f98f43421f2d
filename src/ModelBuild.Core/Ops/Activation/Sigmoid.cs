using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SigmoidKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
}

public static partial class ActivationOps
{
    public static readonly OpDefinition Sigmoid = UnaryOp.Float<SigmoidKernel>("Sigmoid", version: 1);
}
