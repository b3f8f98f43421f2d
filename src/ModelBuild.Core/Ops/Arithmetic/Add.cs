using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

public readonly struct AddKernel : IBinaryKernel
{
    public T Apply<T>(T a, T b)
        where T : unmanaged, INumber<T> => a + b;
}

public static partial class ArithmeticOps
{
    public static readonly OpDefinition Add = new ArithmeticOp<AddKernel>("Add", version: 1, symbolic: (a, b) => a + b);
}
