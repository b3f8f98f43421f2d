using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// BitwiseLeftShift/BitwiseRightShift-15 as arithmetic of opset1: x · 2ⁿ and ⌊x / 2ⁿ⌋ (integer Multiply wraps like
/// the shift; Divide floors, like an arithmetic right shift), with 2ⁿ looked up in a table of the data's type.
/// </summary>
internal static class BitwiseShiftDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var bits = x.Type.BitWidth();
        var powers = Tensor.FromInt64s(x.Type, [.. Enumerable.Range(0, bits).Select(n => unchecked((long)(1UL << n)))], [bits]);
        var factor = b.Gather(b.Constant(powers), b.Convert(context.Input(1), ElementType.I64), axis: 0);
        return [context.Node.Type == "BitwiseLeftShift" ? b.Multiply(x, factor) : b.Divide(x, factor)];
    }
}
