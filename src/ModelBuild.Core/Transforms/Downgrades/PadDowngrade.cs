using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// Pad-12 → Pad-1 (opset1): version 12 only adds negative pads, which crop. Pads known to be non-negative go to Pad-1
/// as they are; otherwise the node becomes a Slice-8 that crops the negative sides (start max(0, −begin), stop at a
/// negative end), then Pad-1 by max(0, pad) — computed in the graph when the pads are only known at run time.
/// </summary>
internal static class PadDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var begins = context.Input(1);
        var ends = context.Input(2);
        if (IsNonNegativeConstant(begins) && IsNonNegativeConstant(ends))
        {
            return context.As(MovementOps.PadV1);
        }

        var b = context.Graph;
        var zero = b.ScalarLike(begins, 0);
        var start = b.Make(ArithmeticOps.Maximum, [b.Make(ArithmeticOps.Negative, [begins]), zero]);
        var stop = b.Select(b.Make(ComparisonOps.Less, [ends, b.ScalarLike(ends, 0)]), ends, b.Constant(Tensor.FromInt64s(ends.Type, [ends.Type == ElementType.I32 ? int.MaxValue : long.MaxValue], [])));
        var steps = b.Broadcast(b.ScalarLike(begins, 1), b.ShapeOf(begins));
        var cropped = b.Make(MovementOps.Slice, [context.Input(0), start, stop, steps]);
        var pads = new List<Output> { cropped, b.Make(ArithmeticOps.Maximum, [begins, zero]), b.Make(ArithmeticOps.Maximum, [ends, b.ScalarLike(ends, 0)]) };
        pads.AddRange(context.Node.Inputs.Skip(3));
        return context.As(MovementOps.PadV1, pads);
    }

    private static bool IsNonNegativeConstant(Output pads) => pads.Node.Constant?.TryGetValue()?.ToInt64Array().All(p => p >= 0) == true;
}
