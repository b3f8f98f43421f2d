using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// SoftSign-9 and IsNaN/IsInf/IsFinite-10 as their definitions in opset1 ops: x / (1 + |x|); x ≠ x; x = ±∞ (as
/// detected; nothing equals NaN); |x| &lt; ∞ (false for NaN, whose comparisons are all false).
/// </summary>
internal static class UnaryDowngrades
{
    public static IReadOnlyList<Output> SoftSign(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        return [b.Divide(x, b.Add(b.ScalarLike(x, 1), b.Make(ArithmeticOps.Abs, [x])))];
    }

    public static IReadOnlyList<Output> IsNaN(DowngradeContext context)
    {
        var x = context.Input(0);
        return [context.Graph.Make(ComparisonOps.NotEqual, [x, x])];
    }

    public static IReadOnlyList<Output> IsInf(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var positive = context.Attributes.GetBool("detect_positive");
        var negative = context.Attributes.GetBool("detect_negative");
        return [(positive, negative) switch
        {
            (true, true) => b.Make(ComparisonOps.Equal, [b.Make(ArithmeticOps.Abs, [x]), b.ScalarLike(x, double.PositiveInfinity)]),
            (true, false) => b.Make(ComparisonOps.Equal, [x, b.ScalarLike(x, double.PositiveInfinity)]),
            (false, true) => b.Make(ComparisonOps.Equal, [x, b.ScalarLike(x, double.NegativeInfinity)]),
            (false, false) => b.Make(ComparisonOps.Equal, [x, b.ScalarLike(x, double.NaN)]),
        }];
    }

    public static IReadOnlyList<Output> IsFinite(DowngradeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        return [b.Make(ComparisonOps.Less, [b.Make(ArithmeticOps.Abs, [x]), b.ScalarLike(x, double.PositiveInfinity)])];
    }
}
