using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct LogKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Log = UnaryOp.Float<LogKernel>("Log", version: 1);
}
