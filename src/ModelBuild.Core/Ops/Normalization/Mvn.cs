using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// MVN-6: subtracts the mean over <c>axes</c> and, with <c>normalize_variance</c>, divides by
/// √(variance + eps) (<c>inside_sqrt</c>) or √variance + eps (<c>outside_sqrt</c>).
/// </summary>
public sealed class MvnOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Float("eps"),
        AttributeSpec.Bool("normalize_variance"),
        AttributeSpec.String("eps_mode"),
    ];

    public MvnOp()
        : base("MVN", version: 6, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        InsideSqrt(context, context.Attributes);
        context.Require(context.InputType(1) is ElementType.I64 or ElementType.I32 or ElementType.Dynamic, "axes must be i32 or i64");
        var axesShape = context.InputShape(1);
        context.Require(!axesShape.IsRankStatic || axesShape.Rank == 1, $"axes must be 1-D, not {axesShape.ToDisplayString()}");
        var data = context.InputShape(0);
        if (data.IsRankStatic && context.InputValue(1) is { } axes)
        {
            ReduceOp.NormalizeAxes(context, axes, data.Rank);
        }

        context.SetOutput(0, type, data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axes = ReduceOp.NormalizeAxes(null, context.Input(1), data.Rank);
        var normalizeVariance = context.Attributes.GetBool("normalize_variance");
        var insideSqrt = InsideSqrt(null, context.Attributes);
        var eps = context.Attributes.GetFloat("eps");
        var x = data.ToDoubleArray();
        var group = IndexMaps.Reduction(data.Shape, axes, out var reducedShape);
        var groups = ShapeMath.ElementCount(reducedShape);
        var size = groups == 0 ? 1 : x.Length / groups;
        var mean = new double[groups];
        var variance = new double[groups];
        for (var i = 0; i < x.Length; i++)
        {
            mean[group[i]] += x[i] / size;
        }

        for (var i = 0; i < x.Length; i++)
        {
            var centered = x[i] - mean[group[i]];
            variance[group[i]] += centered * centered / size;
        }

        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = x[i] - mean[group[i]];
            if (normalizeVariance)
            {
                var v = variance[group[i]];
                y[i] /= insideSqrt ? Math.Sqrt(v + eps) : Math.Sqrt(v) + eps;
            }
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }

    private static bool InsideSqrt(InferenceContext? context, Attributes attributes) => attributes.GetString("eps_mode").ToLowerInvariant() switch
    {
        "inside_sqrt" => true,
        "outside_sqrt" => false,
        var other => throw WindowAttributes.Fail(context, $"eps_mode '{other}' is not inside_sqrt or outside_sqrt"),
    };
}

public static partial class NormalizationOps
{
    public static readonly OpDefinition Mvn = new MvnOp();
}
