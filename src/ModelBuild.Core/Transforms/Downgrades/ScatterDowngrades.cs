using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Transforms.Downgrades;

/// <summary>
/// ScatterElementsUpdate-12 → ScatterElementsUpdate-3 and ScatterNDUpdate-15 → ScatterNDUpdate-4 (opset3, opset4)
/// when the node replaces (<c>reduction</c> none): the older versions cannot combine updates with the data. Version 3
/// of ScatterElementsUpdate does not count negative indices from the end, so indices not known to be non-negative
/// get the axis length added where they are negative.
/// </summary>
internal static class ScatterDowngrades
{
    public static IReadOnlyList<Output> Elements(DowngradeContext context)
    {
        RequireNoReduction(context, MovementOps.ScatterElementsUpdateV3);
        var indices = context.Input(1);
        if (indices.Node.Constant?.TryGetValue()?.ToInt64Array().All(i => i >= 0) == true)
        {
            return context.As(MovementOps.ScatterElementsUpdateV3);
        }

        var b = context.Graph;
        var data = context.Input(0);
        var length = b.Convert(b.Gather(b.ShapeOf(data), b.Reshape(context.Input(3), b.Int64s(), specialZero: false), axis: 0), indices.Type);
        var counted = b.Select(b.Make(ComparisonOps.Less, [indices, b.ScalarLike(indices, 0)]), b.Add(indices, length), indices);
        return context.As(MovementOps.ScatterElementsUpdateV3, [data, counted, context.Input(2), context.Input(3)]);
    }

    public static IReadOnlyList<Output> Nd(DowngradeContext context)
    {
        RequireNoReduction(context, MovementOps.ScatterNDUpdate);
        return context.As(MovementOps.ScatterNDUpdate);
    }

    private static void RequireNoReduction(DowngradeContext context, OpDefinition older)
    {
        var reduction = context.Attributes.GetString("reduction");
        if (reduction != "none")
        {
            throw context.Refuse($"reduction {reduction} combines updates with the data, which {older.Type}-{older.OpsetName} cannot");
        }
    }
}
