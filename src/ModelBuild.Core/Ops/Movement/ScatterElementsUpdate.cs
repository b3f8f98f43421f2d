using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// ScatterElementsUpdate-3 (replaces only) and -12: a copy of <c>data</c> where each element of <c>updates</c> is combined
/// (by <c>reduction</c>) into the position its <c>indices</c> entry names on <c>axis</c>.
/// </summary>
public sealed class ScatterElementsUpdateOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("reduction", "none"), AttributeSpec.Bool("use_init_val", true)];

    public ScatterElementsUpdateOp(int version)
        : base("ScatterElementsUpdate", version, minInputs: 4, maxInputs: 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Version >= 12 ? Specs : [];

    public override void Infer(InferenceContext context)
    {
        var reduction = Reduction(context.Attributes);
        context.Require(reduction is "none" or "sum" or "prod" or "min" or "max" or "mean", $"reduction '{reduction}' is not one of none, sum, prod, min, max, mean");
        context.Require(reduction != "mean" || context.InputType(0) != ElementType.Boolean, "mean reduction is not defined for booleans");
        ScatterKernel.RequireUpdatesOfDataType(context);
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "indices must be integers");
        context.Require(context.InputType(3).IsInteger() || context.InputType(3) == ElementType.Dynamic, "axis must be an integer");
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        var updates = context.InputShape(2);
        context.Require(indices.IsCompatible(updates), $"updates {updates.ToDisplayString()} must have the shape of indices {indices.ToDisplayString()}");
        context.Require(!data.IsRankStatic || !indices.IsRankStatic || data.Rank == indices.Rank,
            $"indices {indices.ToDisplayString()} must have the rank of data {data.ToDisplayString()}");
        if (data.IsRankStatic && context.InputValue(3) is { } axis)
        {
            SqueezeOp.NormalizeAxis(context, axis.GetInt64(0), data.Rank);
        }

        context.SetOutput(0, context.InputType(0), data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Input(3).GetInt64(0), data.Rank);
        // Negative indices count from the end from version 12 on (OpenVINO's 2022 runtime takes them literally in version 3).
        var targets = GatherElementsOp.ElementTargets(context, data.Shape, context.Input(1), axis, allowNegative: Version >= 12);
        return [ScatterKernel.Apply(data, context.Input(2), targets, Reduction(context.Attributes), Version < 12 || context.Attributes.GetBool("use_init_val"))];
    }

    // Version 3 only replaces.
    private string Reduction(Attributes attributes) => Version >= 12 ? attributes.GetString("reduction") : "none";
}

public static partial class MovementOps
{
    public static readonly OpDefinition ScatterElementsUpdate = new ScatterElementsUpdateOp(version: 12);
    public static readonly OpDefinition ScatterElementsUpdateV3 = new ScatterElementsUpdateOp(version: 3);
}
