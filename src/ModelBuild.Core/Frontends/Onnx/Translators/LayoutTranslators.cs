using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Ops that move data without computing: Concat, Transpose, Gather, Expand, Where, Range.</summary>
public static class LayoutTranslators
{
    /// <summary>Concat-1: <c>axis</c> defaults to 1.</summary>
    public static IReadOnlyList<Output> ConcatV1(OnnxNodeContext context) => [Concat(context, defaultAxis: 1)];

    /// <summary>Concat-4 and later: <c>axis</c> is required.</summary>
    public static IReadOnlyList<Output> ConcatV4(OnnxNodeContext context) => [Concat(context, defaultAxis: null)];

    public static IReadOnlyList<Output> Transpose(OnnxNodeContext context)
    {
        // Without perm the axes reverse. An empty order means that in OpenVINO too, but the 2022.x runtime's compile
        // transformations take an empty order after a dynamic Reshape for no transposition at all (the HugeCTR DeepFM
        // fixture fails to load): spell the order out whenever the rank is known.
        var x = context.Input(0);
        var order = context.GetInts("perm") ?? (x.Shape.IsRankStatic ? [.. Enumerable.Range(0, x.Shape.Rank).Select(a => (long)(x.Shape.Rank - 1 - a))] : []);
        return [context.Graph.Transpose(x, order)];
    }

    public static IReadOnlyList<Output> Gather(OnnxNodeContext context) =>
        [context.Graph.Gather(context.Input(0), context.Input(1), context.GetInt("axis", 0))];

    /// <summary>Expand broadcasts both ways: the result has the larger of each pair of dims.</summary>
    public static IReadOnlyList<Output> Expand(OnnxNodeContext context) =>
        [context.Graph.Broadcast(context.Input(0), context.Graph.Convert(context.Input(1), ElementType.I64), "bidirectional")];

    public static IReadOnlyList<Output> Where(OnnxNodeContext context) =>
        [context.Graph.Select(context.Input(0), context.Input(1), context.Input(2))];

    public static IReadOnlyList<Output> Range(OnnxNodeContext context)
    {
        var start = context.Input(0);
        return [context.Graph.Make(GenerationOps.Range, [start, context.Input(1), context.Input(2)], ("output_type", start.Type))];
    }

    private static Output Concat(OnnxNodeContext context, long? defaultAxis)
    {
        var inputs = context.PresentInputs();

        // Empty inputs (a dimension of length 0) contribute nothing; dropping them keeps OpenVINO happy.
        var nonEmpty = inputs.Where(i => !(i.Shape.IsStatic && i.Shape.ElementCount().Length == 0)).ToList();
        var kept = nonEmpty.Count > 0 ? nonEmpty : [inputs[0]];
        var axis = context.GetInt("axis", defaultAxis ?? long.MinValue);
        if (axis == long.MinValue)
        {
            throw context.Error("attribute 'axis' is required");
        }

        return context.Graph.Make(MovementOps.Concat, kept, ("axis", axis));
    }
}
