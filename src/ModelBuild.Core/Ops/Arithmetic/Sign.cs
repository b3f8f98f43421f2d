using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SignKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Sign = UnaryOp.Numeric<SignKernel>("Sign", version: 1);
}
