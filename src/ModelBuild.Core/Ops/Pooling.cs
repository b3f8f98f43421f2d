using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Shape inference and window placement shared by the pooling ops (3-D to 5-D input, pooled per channel).</summary>
internal static class PoolingGeometry
{
    /// <summary>Reads and checks the attributes, and sets output 0 (and 1 when given an index type) to the pooled shape.</summary>
    public static void Infer(InferenceContext context, long[] dilations, ElementType? indexType = null)
    {
        var window = WindowAttributes.Read(context, context.Attributes, dilations);
        var kernel = context.Attributes.GetInts("kernel");
        window.CheckLength(context, "kernel", kernel);
        context.Require(Array.TrueForAll(kernel, k => k > 0), "kernel sizes must be positive");
        context.Require(window.SpatialCount is >= 1 and <= 3, $"pools 1 to 3 spatial axes, not {window.SpatialCount}");

        var type = context.InputType(0);
        context.Require(type == ElementType.Dynamic || type.IsNumeric(), $"does not accept {type.IrName()} input");
        var data = context.InputShape(0);
        context.Require(!data.IsRankStatic || data.Rank == window.SpatialCount + 2,
            $"input {data.ToDisplayString()} must have rank {window.SpatialCount + 2} for a {window.SpatialCount}-D kernel");
        data = data.IsRankStatic ? data : PartialShape.DynamicOfRank(window.SpatialCount + 2);

        var ceil = Ceil(context.Attributes);
        var dims = new List<Dimension> { data[0], data[1] };
        for (var i = 0; i < window.SpatialCount; i++)
        {
            dims.Add(SlidingWindow.ForwardOutput(data[2 + i], window.PadType, kernel[i], window.Strides[i], window.Dilations[i], window.PadsBegin[i], window.PadsEnd[i], ceil)
                ?? throw context.Error($"the dilated kernel does not fit the padded input on spatial axis {i}"));
        }

        var output = PartialShape.Of(dims);
        context.SetOutput(0, type, output);
        if (indexType is { } indices)
        {
            context.SetOutput(1, indices, output);
        }
    }

    /// <summary>The window placements of an evaluation: one per output position, reading the input plane.</summary>
    public static WindowMap Map(EvaluationContext context, long[] dilations)
    {
        var window = WindowAttributes.Read(null, context.Attributes, dilations);
        var kernel = context.Attributes.GetInts("kernel");
        var inputSpatial = context.Input(0).Shape[2..];
        var (padsBegin, padsEnd) = window.ForwardPads(inputSpatial, kernel);
        return new WindowMap(inputSpatial, context.OutputShape(0)[2..], kernel, window.Strides, window.Dilations, padsBegin, padsEnd);
    }

    private static bool Ceil(Attributes attributes) => attributes.GetString("rounding_type").ToLowerInvariant() switch
    {
        "floor" => false,
        "ceil" => true,
        var other => throw new InferenceException($"rounding_type '{other}' is not floor or ceil."),
    };
}

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
        : base("MaxPool", 8, 1, 1)
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
        : base("AvgPool", 1, 1, 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context) =>
        PoolingGeometry.Infer(context, UnitDilations(context.Attributes));

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

/// <summary>The pooling ops.</summary>
public static class PoolingOps
{
    public static readonly OpDefinition MaxPool = new MaxPoolOp();
    public static readonly OpDefinition AvgPool = new AvgPoolOp();
}
