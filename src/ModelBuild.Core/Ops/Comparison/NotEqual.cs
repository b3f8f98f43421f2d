using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct NotEqualKernel : IComparisonKernel
{
    public bool Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a != b;
}

public static partial class ComparisonOps
{
    public static readonly OpDefinition NotEqual = new ComparisonOp<NotEqualKernel>("NotEqual", version: 1);
}
