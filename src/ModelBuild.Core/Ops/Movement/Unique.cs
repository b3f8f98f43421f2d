using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Unique-10: the distinct elements (or, with an axis, distinct slices along it), sorted ascending
/// or in order of first appearance; plus the index of each one's first occurrence, the position in
/// the output of every input element (or slice), and the occurrence counts.
/// </summary>
public sealed class UniqueOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Bool("sorted", true),
        AttributeSpec.Type("index_element_type", ElementType.I64),
        AttributeSpec.Type("count_element_type", ElementType.I64),
    ];

    public UniqueOp()
        : base("Unique", version: 10, minInputs: 1, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var indexType = context.Attributes.GetElementType("index_element_type");
        var countType = context.Attributes.GetElementType("count_element_type");
        context.Require(indexType is ElementType.I64 or ElementType.I32 && countType is ElementType.I64 or ElementType.I32,
            "index_element_type and count_element_type must be i64 or i32");
        var data = context.InputShape(0);
        PartialShape unique;
        Dimension slices;
        if (context.InputCount < 2)
        {
            slices = data.ElementCount();
            unique = PartialShape.Of(new Dimension(Math.Min(slices.Min, 1), slices.Max));
        }
        else
        {
            context.Require(context.InputType(1) is ElementType.I64 or ElementType.I32 or ElementType.Dynamic, "axis must be i64 or i32");
            var axisValue = context.InputValue(1) ?? throw context.Error("axis must be a constant");
            if (!data.IsRankStatic)
            {
                SetOutputs(context, PartialShape.DynamicRank, Dimension.Dynamic, indexType, countType);
                return;
            }

            var axis = SqueezeOp.NormalizeAxis(context, axisValue.GetInt64(0), data.Rank);
            slices = data[axis];
            unique = PartialShape.Of(data.Select((d, i) => i == axis ? new Dimension(Math.Min(slices.Min, 1), slices.Max) : d));
        }

        SetOutputs(context, unique, slices, indexType, countType);
    }

    /// <summary>Sorting the slices: n log n comparisons of whole slices.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product(context.Input(0).ElementCount, 64);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = context.InputCount > 1 ? ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank) : -1;

        // View the input as [outer, slices, inner]; each slice is one candidate.
        var viewShape = axis < 0 ? [1, data.ElementCount, 1] : new[]
        {
            ShapeMath.ElementCount(data.Shape.AsSpan(0, axis)), data.Shape[axis], ShapeMath.ElementCount(data.Shape.AsSpan(axis + 1)),
        };
        var (outer, count, inner) = (viewShape[0], (int)viewShape[1], viewShape[2]);
        var keys = new object[count][];
        for (var s = 0; s < count; s++)
        {
            keys[s] = new object[outer * inner];
            for (long o = 0; o < outer; o++)
            {
                for (long i = 0; i < inner; i++)
                {
                    keys[s][o * inner + i] = data.Data.GetValue((o * count + s) * inner + i)!;
                }
            }
        }

        var comparer = new SliceComparer();
        var first = new List<int>();
        var slot = new Dictionary<object[], int>(comparer);
        var inverse = new long[count];
        var counts = new List<long>();
        for (var s = 0; s < count; s++)
        {
            if (!slot.TryGetValue(keys[s], out var u))
            {
                u = first.Count;
                slot[keys[s]] = u;
                first.Add(s);
                counts.Add(0);
            }

            inverse[s] = u;
            counts[u]++;
        }

        // Sorting reorders the unique slices; inverse indices follow them to their new places.
        var order = Enumerable.Range(0, first.Count).ToArray();
        if (context.Attributes.GetBool("sorted"))
        {
            Array.Sort(order, (a, b) => comparer.Compare(keys[first[a]], keys[first[b]]));
        }

        var rank = new long[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        var map = new int[outer * order.Length * inner];
        for (long o = 0; o < outer; o++)
        {
            for (var r = 0; r < order.Length; r++)
            {
                for (long i = 0; i < inner; i++)
                {
                    map[(o * order.Length + r) * inner + i] = (int)((o * count + first[order[r]]) * inner + i);
                }
            }
        }

        long[] uniqueShape = axis < 0 ? [order.Length] : data.Shape.Select((d, i) => i == axis ? order.Length : d).ToArray();
        var indexType = context.Attributes.GetElementType("index_element_type");
        var countType = context.Attributes.GetElementType("count_element_type");
        return
        [
            data.Remap(uniqueShape, map),
            Tensor.FromInt64s(indexType, order.Select(u => (long)first[u]).ToArray(), [order.Length]),
            Tensor.FromInt64s(indexType, Array.ConvertAll(inverse, u => rank[u]), [count]),
            Tensor.FromInt64s(countType, order.Select(u => counts[u]).ToArray(), [order.Length]),
        ];
    }

    private static void SetOutputs(InferenceContext context, PartialShape unique, Dimension slices, ElementType indexType, ElementType countType)
    {
        var distinct = PartialShape.Of(new Dimension(Math.Min(slices.Min, 1), slices.Max));
        context.SetOutput(0, context.InputType(0), unique);
        context.SetOutput(1, indexType, distinct);
        context.SetOutput(2, indexType, PartialShape.Of(slices));
        context.SetOutput(3, countType, distinct);
    }

    /// <summary>
    /// Equality and lexicographic order of slices, element values compared in their own type (strings
    /// by code point). f16/bf16 inputs arrive widened to f32, so every value type is comparable.
    /// </summary>
    private sealed class SliceComparer : IEqualityComparer<object[]>, IComparer<object[]>
    {
        public bool Equals(object[]? x, object[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(object[] obj)
        {
            var hash = new HashCode();
            foreach (var value in obj)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }

        public int Compare(object[]? x, object[]? y)
        {
            for (var i = 0; i < x!.Length; i++)
            {
                var order = x[i] is string text ? string.CompareOrdinal(text, (string)y![i]) : Comparer<object>.Default.Compare(x[i], y![i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Unique = new UniqueOp();
}
