using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct ReluKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => x > T.Zero || T.IsNaN(x) ? x : T.Zero;
}

public static partial class ActivationOps
{
    public static readonly OpDefinition Relu = UnaryOp.Numeric<ReluKernel>("ReLU", version: 1);
}
