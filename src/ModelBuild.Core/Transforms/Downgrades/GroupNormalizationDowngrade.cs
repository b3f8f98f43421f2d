using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// GroupNormalization-12 as its definition in opset6 ops: the channels [N, C, ...] regrouped as [N, groups, rest],
/// normalized by MVN-6 over the rest (ε inside the square root), shaped back, then scaled and shifted per channel.
/// </summary>
internal static class GroupNormalizationDowngrade
{
    public static IReadOnlyList<Output> Apply(DowngradeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        if (!data.Shape.IsRankStatic)
        {
            throw context.Refuse("the data's rank is only known at run time");
        }

        var groups = context.Attributes.GetInt("num_groups");
        var grouped = b.Reshape(data, b.Int64s(0, groups, -1), specialZero: true);
        var normalized = b.Make(NormalizationOps.Mvn, [grouped, b.Int64s(2)],
            ("eps", context.Attributes.GetFloat("epsilon")), ("normalize_variance", true), ("eps_mode", "inside_sqrt"));
        var restored = b.Reshape(normalized, b.ShapeOf(data), specialZero: false);
        var spatial = Enumerable.Range(1, data.Shape.Rank - 2).Select(a => (long)a).ToArray();
        Output PerChannel(Output value) => spatial.Length == 0 ? value : b.Unsqueeze(value, spatial);
        return [b.Add(b.Multiply(restored, PerChannel(context.Input(1))), PerChannel(context.Input(2)))];
    }
}
