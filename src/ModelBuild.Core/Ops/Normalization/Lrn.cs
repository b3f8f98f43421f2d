using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// LRN-1: data / (bias + alpha / size^len(axes) · Σ data²)^beta, the sum over a window of
/// <c>size</c> elements centred on each element along every axis in <c>axes</c>, clipped at the edges.
/// </summary>
public sealed class LrnOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Float("alpha"),
        AttributeSpec.Float("beta"),
        AttributeSpec.Float("bias"),
        AttributeSpec.Int("size"),
    ];

    public LrnOp()
        : base("LRN", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        context.Require(context.Attributes.GetInt("size") > 0, "size must be positive");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "axes must be integers");
        var axesShape = context.InputShape(1);
        context.Require(!axesShape.IsRankStatic || axesShape.Rank == 1, $"axes must be 1-D, not {axesShape.ToDisplayString()}");
        var data = context.InputShape(0);
        if (data.IsRankStatic && context.InputValue(1) is { } axes)
        {
            ReduceOp.NormalizeAxes(context, axes, data.Rank);
        }

        context.SetOutput(0, type, data);
    }

    /// <summary>Each element sums a window of <c>size</c> along every normalized axis.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product([context.Input(0).ElementCount, .. Enumerable.Repeat(context.Attributes.GetInt("size"), Math.Max(1, (int)context.Input(1).ElementCount))]);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axes = ReduceOp.NormalizeAxes(null, context.Input(1), data.Rank).Order().ToArray();
        var alpha = context.Attributes.GetFloat("alpha");
        var beta = context.Attributes.GetFloat("beta");
        var bias = context.Attributes.GetFloat("bias");
        var size = context.Attributes.GetInt("size");
        var half = (size - 1) / 2;
        var scale = alpha / Math.Pow(size, axes.Length);
        var x = data.ToDoubleArray();
        var strides = ShapeMath.Strides(data.Shape);
        var coordinates = new long[data.Rank];
        var low = new long[axes.Length];
        var high = new long[axes.Length];
        var cursor = new long[axes.Length];
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            // The window along each normalized axis, clipped to the tensor.
            for (var a = 0; a < axes.Length; a++)
            {
                var c = coordinates[axes[a]];
                low[a] = Math.Max(0, c - half);
                high[a] = Math.Min(data.Shape[axes[a]], c + half + 1);
                cursor[a] = low[a];
            }

            double sum = 0;
            while (true)
            {
                long offset = i;
                for (var a = 0; a < axes.Length; a++)
                {
                    offset += (cursor[a] - coordinates[axes[a]]) * strides[axes[a]];
                }

                sum += x[offset] * x[offset];
                var axis = axes.Length - 1;
                while (axis >= 0 && ++cursor[axis] >= high[axis])
                {
                    cursor[axis] = low[axis];
                    axis--;
                }

                if (axis < 0)
                {
                    break;
                }
            }

            y[i] = x[i] / Math.Pow(bias + scale * sum, beta);
            for (var axis = data.Rank - 1; axis >= 0 && ++coordinates[axis] >= data.Shape[axis]; axis--)
            {
                coordinates[axis] = 0;
            }
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }
}

public static partial class NormalizationOps
{
    public static readonly OpDefinition Lrn = new LrnOp();
}
