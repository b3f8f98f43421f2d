using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct SinKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Sin = UnaryOp.Float<SinKernel>("Sin", version: 1);
}
