using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// RDFT-9 as its definition in DFT-7 (opset7): the real signal gets a zero imaginary part, DFT-7 transforms it over
/// the same axes and signal sizes, and the last transformed axis keeps its first ⌊n/2⌋ + 1 frequencies (the rest
/// mirror them). Needs constant axes and signal sizes and a known length on the last axis.
/// </summary>
internal static class RdftDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var data = context.Input(0);
        var axes = context.Input(1).Node.Constant?.TryGetValue()?.ToInt64Array();
        var sizes = context.Node.Inputs.Count > 2 ? context.Input(2).Node.Constant?.TryGetValue()?.ToInt64Array() : axes?.Select(_ => -1L).ToArray();
        if (!data.Shape.IsRankStatic || axes is null || sizes is null)
        {
            throw context.Refuse("the axes, the signal sizes or the data's rank are only known at run time");
        }

        var rank = data.Shape.Rank;
        var normalized = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        var last = normalized[^1];
        var length = sizes[^1] != -1 ? sizes[^1] : data.Shape[(int)last].IsStatic ? data.Shape[(int)last].Length : -1;
        if (length < 0)
        {
            throw context.Refuse("the length of the last transformed axis is only known at run time");
        }

        var b = context.Graph;
        var real = b.Unsqueeze(data, rank);
        var complex = b.Concat([real, b.Broadcast(b.ScalarLike(data, 0), b.ShapeOf(real))], axis: rank);
        var inputs = new List<Output> { complex, b.Int64s(normalized) };
        if (context.Node.Inputs.Count > 2)
        {
            inputs.Add(context.Input(2));
        }

        var spectrum = b.Make(SignalOps.Dft, inputs);
        return [b.Make(MovementOps.Slice, [spectrum, b.Int64s(0), b.Int64s(length / 2 + 1), b.Int64s(1), b.Int64s(last)])];
    }
}
