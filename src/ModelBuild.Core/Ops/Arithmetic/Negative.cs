using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct NegativeKernel : IUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, INumber<T> => -x;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Negative = UnaryOp.Numeric<NegativeKernel>("Negative", version: 1);
}
