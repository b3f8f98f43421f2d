using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// MaxPool-8: the maximum of each window (padding counts as −∞) and, as a second output, the flat
/// index of the chosen element in the unpadded input, counted from dimension <c>axis</c> on.
/// The first maximum in row-major window order wins.
/// </summary>
public sealed class MaxPoolOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Ints("strides"),
        AttributeSpec.Ints("dilations", []),
        AttributeSpec.Ints("pads_begin"),
        AttributeSpec.Ints("pads_end"),
        AttributeSpec.Ints("kernel"),
        AttributeSpec.String("rounding_type", "floor"),
        AttributeSpec.String("auto_pad", "explicit"),
        AttributeSpec.Type("index_element_type", ElementType.I64),
        AttributeSpec.Int("axis", 0),
    ];

    public MaxPoolOp()
        : base("MaxPool", version: 8, minInputs: 1, maxInputs: 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var indexType = context.Attributes.GetElementType("index_element_type");
        context.Require(indexType is ElementType.I64 or ElementType.I32, $"index_element_type must be i64 or i32, not {indexType.IrName()}");
        PoolingGeometry.Infer(context, context.Attributes.GetInts("dilations"), indexType);
        var data = context.InputShape(0);
        if (data.IsRankStatic)
        {
            var axis = context.Attributes.GetInt("axis");
            context.Require(axis >= -data.Rank && axis < data.Rank, $"axis {axis} is out of range for rank {data.Rank}");
        }
    }

    /// <summary>Each output element reads its window.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product([ShapeMath.ElementCount(context.OutputShape(0)), .. context.Attributes.GetInts("kernel")]);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var map = PoolingGeometry.Map(context, context.Attributes.GetInts("dilations"));
        var outputShape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), data.Rank);

        // Indices count from `axis`: the flat index modulo the size of the dimensions before it.
        var indexRange = ShapeMath.ElementCount(data.Shape.AsSpan(axis));
        var x = data.ToDoubleArray();
        var planes = data.Shape[0] * data.Shape[1];
        var inputPlane = x.Length / Math.Max(planes, 1);
        var values = new double[ShapeMath.ElementCount(outputShape)];
        var indices = new long[values.Length];
        var offsets = new int[map.TapCount];
        for (var p = 0; p < map.PositionCount; p++)
        {
            map.Fill(p, offsets);
            for (long plane = 0; plane < planes; plane++)
            {
                var best = double.NegativeInfinity;
                long chosen = -1;
                foreach (var offset in offsets)
                {
                    if (offset >= 0 && (chosen < 0 || x[plane * inputPlane + offset] > best))
                    {
                        best = x[plane * inputPlane + offset];
                        chosen = plane * inputPlane + offset;
                    }
                }

                values[plane * map.PositionCount + p] = best;
                indices[plane * map.PositionCount + p] = chosen < 0 ? 0 : chosen % indexRange;
            }
        }

        return
        [
            Tensor.FromDoubles(data.Type, values, outputShape),
            Tensor.FromInt64s(context.OutputType(1), indices, outputShape),
        ];
    }
}

public static partial class PoolingOps
{
    public static readonly OpDefinition MaxPool = new MaxPoolOp();
}
