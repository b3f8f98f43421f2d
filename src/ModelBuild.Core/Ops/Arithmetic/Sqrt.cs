using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SqrtKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Sqrt = UnaryOp.Float<SqrtKernel>("Sqrt", version: 1);
}
