using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct MinimumKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Min(a, b);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Minimum = new ArithmeticOp<MinimumKernel>("Minimum", version: 1, symbolic: (a, b) => new Dimension(Math.Min(a.Min, b.Min), Math.Min(a.Max, b.Max)));
}
