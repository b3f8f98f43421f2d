using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct PowerKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        var result = Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b));
        return Elementwise.IsFloat<T>() ? T.CreateTruncating(result) : T.CreateSaturating(Math.Truncate(result));
    }
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Power = new ArithmeticOp<PowerKernel>("Power", version: 1);
}
