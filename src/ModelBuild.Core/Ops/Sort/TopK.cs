using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// TopK-3 and TopK-11: the <c>k</c> largest (<c>mode</c> max) or smallest (min) elements of every
/// slice along <c>axis</c>, as values and their indices along the axis. <c>sort</c> orders the
/// results by value (best first), by index (ascending), or not at all ("none": any order).
/// TopK-11 adds <c>stable</c>: equal values keep their input order. This kernel is always stable,
/// which is one of the orders TopK-3 and unstable TopK-11 allow.
/// </summary>
public sealed class TopKOp : OpDefinition
{
    private static readonly AttributeSpec[] SpecsV3 =
    [
        AttributeSpec.Int("axis"), AttributeSpec.String("mode"), AttributeSpec.String("sort"),
        AttributeSpec.Type("index_element_type", ElementType.I32),
    ];

    private static readonly AttributeSpec[] SpecsV11 = [.. SpecsV3, AttributeSpec.Bool("stable", false)];

    public TopKOp(int version)
        : base("TopK", version, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Version >= 11 ? SpecsV11 : SpecsV3;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"does not accept {type.IrName()} input");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "k must be an integer");
        var kShape = context.InputShape(1);
        context.Require(!kShape.IsRankStatic || kShape.Rank == 0, $"k must be a scalar, not {kShape.ToDisplayString()}");
        var mode = context.Attributes.GetString("mode");
        context.Require(mode is "max" or "min", $"mode '{mode}' is not max or min");
        var sort = context.Attributes.GetString("sort");
        context.Require(sort is "value" or "index" or "none", $"sort '{sort}' is not value, index or none");
        var indexType = context.Attributes.GetElementType("index_element_type");
        context.Require(indexType is ElementType.I32 or ElementType.I64, $"index_element_type must be i32 or i64, not {indexType.IrName()}");

        var data = context.InputShape(0);
        if (!data.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            context.SetOutput(1, indexType, PartialShape.DynamicRank);
            return;
        }

        var axis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), data.Rank);
        var dims = data.ToArray();
        var k = context.InputValue(1);
        if (k is null)
        {
            dims[axis] = new Dimension(0, data[axis].Max);
        }
        else
        {
            var count = k.GetInt64(0);
            context.Require(count >= 0, $"k must not be negative, got {count}");

            // A k beyond the axis length yields the whole axis.
            dims[axis] = data[axis].IsStatic ? Math.Min(count, data[axis].Length) : new Dimension(Math.Min(count, data[axis].Min), Math.Min(count, data[axis].Max));
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
        context.SetOutput(1, indexType, PartialShape.Of(dims));
    }

    /// <summary>Sorting each line: n log n.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product(context.Input(0).ElementCount, 64);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), data.Rank);
        var largest = context.Attributes.GetString("mode") == "max";
        var byIndex = context.Attributes.GetString("sort") == "index";
        var compare = Comparer(data, largest);

        var length = (int)data.Shape[axis];
        var k = (int)shape[axis];
        var inner = ShapeMath.ElementCount(data.Shape.AsSpan(axis + 1));
        var outer = ShapeMath.ElementCount(data.Shape.AsSpan(0, axis));
        var map = new int[ShapeMath.ElementCount(shape)];
        var indices = new long[map.Length];
        var order = new int[length];
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                var start = (int)(o * length * inner + i);
                var step = (int)inner;
                for (var n = 0; n < length; n++)
                {
                    order[n] = n;
                }

                // Best first; ties go to the smaller index, which keeps the sort stable.
                Array.Sort(order, (a, b) =>
                {
                    var byValue = compare(start + a * step, start + b * step);
                    return byValue != 0 ? byValue : a.CompareTo(b);
                });
                if (byIndex)
                {
                    Array.Sort(order, 0, k);
                }

                var outStart = o * k * inner + i;
                for (var n = 0; n < k; n++)
                {
                    var target = outStart + n * inner;
                    map[target] = start + order[n] * step;
                    indices[target] = order[n];
                }
            }
        }

        return
        [
            data.Remap(shape, map),
            Tensor.FromInt64s(context.OutputType(1), indices, shape),
        ];
    }

    /// <summary>Compares two elements by flat index so that the preferred one (larger for max) sorts first.</summary>
    private static Comparison<int> Comparer(Tensor data, bool largest)
    {
        var sign = largest ? -1 : 1;
        if (data.Type.IsFloatingPoint())
        {
            var values = data.ToDoubleArray();
            return (a, b) => sign * values[a].CompareTo(values[b]);
        }

        if (data.Type == ElementType.U64)
        {
            var values = data.As<ulong>();
            return (a, b) => sign * values[a].CompareTo(values[b]);
        }

        var integers = data.ToInt64Array();
        return (a, b) => sign * integers[a].CompareTo(integers[b]);
    }
}

public static partial class SortOps
{
    public static readonly OpDefinition TopK = new TopKOp(version: 11);
    public static readonly OpDefinition TopKV3 = new TopKOp(version: 3);
}
