using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct ErfKernel : IFloatUnaryKernel
{
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(SpecialFunctions.Erf(double.CreateTruncating(x)));
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Erf = UnaryOp.Float<ErfKernel>("Erf", version: 1);
}
