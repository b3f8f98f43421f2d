using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// AvgPool-1: the mean of each window. With <c>exclude-pad</c> only input elements count; without
/// it, padding elements count too (as zeros) — but never the overhang past the padding that ceil
/// rounding can create.
/// </summary>
public sealed class AvgPoolOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Ints("kernel"),
        AttributeSpec.Ints("strides"),
        AttributeSpec.Ints("pads_begin"),
        AttributeSpec.Ints("pads_end"),
        AttributeSpec.Bool("exclude-pad"),
        AttributeSpec.String("auto_pad", "explicit"),
        AttributeSpec.String("rounding_type", "floor"),
    ];

    public AvgPoolOp()
        : base("AvgPool", version: 1, minInputs: 1, maxInputs: 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context) =>
        PoolingGeometry.Infer(context, UnitDilations(context.Attributes));

    /// <summary>Each output element reads its window.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product([ShapeMath.ElementCount(context.OutputShape(0)), .. context.Attributes.GetInts("kernel")]);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var map = PoolingGeometry.Map(context, UnitDilations(context.Attributes));
        var excludePad = context.Attributes.GetBool("exclude-pad");
        var outputShape = context.OutputShape(0);
        var x = data.ToDoubleArray();
        var planes = data.Shape[0] * data.Shape[1];
        var inputPlane = x.Length / Math.Max(planes, 1);
        var values = new double[ShapeMath.ElementCount(outputShape)];
        var offsets = new int[map.TapCount];
        for (var p = 0; p < map.PositionCount; p++)
        {
            map.Fill(p, offsets);
            var count = offsets.Count(o => o >= 0 || (!excludePad && WindowMap.IsPadding(o)));
            for (long plane = 0; plane < planes; plane++)
            {
                double sum = 0;
                foreach (var offset in offsets)
                {
                    if (offset >= 0)
                    {
                        sum += x[plane * inputPlane + offset];
                    }
                }

                values[plane * map.PositionCount + p] = count == 0 ? 0 : sum / count;
            }
        }

        return [Tensor.FromDoubles(data.Type, values, outputShape)];
    }

    private static long[] UnitDilations(Attributes attributes) => WindowAttributes.Ones(attributes.GetInts("kernel").Length);
}

public static partial class PoolingOps
{
    public static readonly OpDefinition AvgPool = new AvgPoolOp();
}
