using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// One row per op version newer than opset8 that ModelBuild writes: how to express it for a release that does not read
/// it. A rule returns the replacement of every output of the node, or throws <see cref="DowngradeContext.Refuse"/>.
/// </summary>
internal static class DowngradeTable
{
    private static readonly Dictionary<(string Type, int Version), Func<DowngradeContext, IReadOnlyList<Output>>> Rules = new()
    {
        [("TopK", 11)] = TopKDowngrade.Apply,
        [("Interpolate", 11)] = InterpolateDowngrade.Apply,
        [("NonMaxSuppression", 9)] = context => context.As(SortOps.NonMaxSuppressionV5),
        [("ROIAlign", 9)] = RoiAlignDowngrade.Apply,
        [("ScatterElementsUpdate", 12)] = ScatterDowngrades.Elements,
        [("ScatterNDUpdate", 15)] = ScatterDowngrades.Nd,
        [("Pad", 12)] = PadDowngrade.Apply,
        [("SoftSign", 9)] = UnaryDowngrades.SoftSign,
        [("IsNaN", 10)] = UnaryDowngrades.IsNaN,
        [("IsInf", 10)] = UnaryDowngrades.IsInf,
        [("IsFinite", 10)] = UnaryDowngrades.IsFinite,
        [("BitwiseLeftShift", 15)] = BitwiseShiftDowngrade.Apply,
        [("BitwiseRightShift", 15)] = BitwiseShiftDowngrade.Apply,
        [("GroupNormalization", 12)] = GroupNormalizationDowngrade.Apply,
        [("RDFT", 9)] = RdftDowngrade.Apply,
    };

    /// <summary>The rule for an op version, or null when ModelBuild has no older form of it.</summary>
    public static Func<DowngradeContext, IReadOnlyList<Output>>? Find(OpDefinition op) => Rules.GetValueOrDefault((op.Type, op.Version));

    /// <summary>The op versions that have a rule.</summary>
    public static IEnumerable<(string Type, int Version)> Covered => Rules.Keys;
}
