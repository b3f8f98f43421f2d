using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// ScatterElementsUpdate-12 → ScatterElementsUpdate-3 and ScatterNDUpdate-15 → ScatterNDUpdate-4 (opset3, opset4)
/// when the node replaces (<c>reduction</c> none): the older versions cannot combine updates with the data.
/// </summary>
internal static class ScatterDowngrades
{
    public static IReadOnlyList<Output> Elements(DowngradeContext context) => WithoutReduction(context, IndexingOps.ScatterElementsUpdateV3);

    public static IReadOnlyList<Output> Nd(DowngradeContext context) => WithoutReduction(context, IndexingOps.ScatterNDUpdate);

    private static IReadOnlyList<Output> WithoutReduction(DowngradeContext context, OpDefinition older)
    {
        var reduction = context.Attributes.GetString("reduction");
        return reduction == "none"
            ? context.As(older)
            : throw context.Refuse($"reduction {reduction} combines updates with the data, which {older.Type}-{older.OpsetName} cannot");
    }
}
