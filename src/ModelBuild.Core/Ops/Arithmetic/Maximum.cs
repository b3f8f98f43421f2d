using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct MaximumKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Max(a, b);
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Maximum = new ArithmeticOp<MaximumKernel>("Maximum", version: 1, symbolic: (a, b) => new Dimension(Math.Max(a.Min, b.Min), Math.Max(a.Max, b.Max)));
}
