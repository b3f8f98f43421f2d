using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>GatherElements-6: <c>out[i][j][k] = data[i][indices[i][j][k]][k]</c> (for axis 1); indices in [0, d).</summary>
public sealed class GatherElementsOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public GatherElementsOp()
        : base("GatherElements", 6, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        context.Require(context.InputType(1) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, "indices must be i32 or i64");
        var output = indices;
        if (data.IsRankStatic && indices.IsRankStatic)
        {
            context.Require(data.Rank == indices.Rank && data.Rank >= 1, $"data {data.ToDisplayString()} and indices {indices.ToDisplayString()} must have the same rank, 1 or more");
            var axis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), data.Rank);
            output = PartialShape.Of(indices.Select((d, i) => i == axis ? d
                : d.Merge(data[i]) ?? throw context.Error($"indices {indices.ToDisplayString()} differ from data {data.ToDisplayString()} outside axis {axis}")));
        }
        else if (data.IsRankStatic)
        {
            output = PartialShape.DynamicOfRank(data.Rank);
        }

        context.SetOutput(0, context.InputType(0), output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), data.Rank);
        var targets = ElementTargets(context, data.Shape, indices, axis, allowNegative: false);
        return [data.Remap(indices.Shape, targets)];
    }

    /// <summary>
    /// For each element of <paramref name="indices"/>: the flat position in a tensor of <paramref name="dataShape"/>
    /// with the element's own coordinates, except the one on <paramref name="axis"/>, which is the index value.
    /// </summary>
    internal static int[] ElementTargets(EvaluationContext context, long[] dataShape, Tensor indices, int axis, bool allowNegative)
    {
        var strides = ShapeMath.Strides(dataShape);
        var baseStrides = (long[])strides.Clone();
        baseStrides[axis] = 0;
        var targets = IndexMaps.Strided(indices.Shape, baseStrides, 0);
        var values = indices.ToInt64Array();
        var length = dataShape[axis];
        for (var n = 0; n < targets.Length; n++)
        {
            var index = values[n] < 0 && allowNegative ? values[n] + length : values[n];
            if (index < 0 || index >= length)
            {
                throw context.Error($"index {values[n]} is out of range for axis length {length}");
            }

            targets[n] += (int)(index * strides[axis]);
        }

        return targets;
    }
}

/// <summary>
/// GatherND-8: gathers elements or slices of <c>data</c> addressed by the index tuples in the last
/// axis of <c>indices</c>, batch by batch over the first <c>batch_dims</c> axes. Negative indices count from the end.
/// </summary>
public sealed class GatherNDOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_dims", 0)];

    public GatherNDOp()
        : base("GatherND", 8, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "indices must be integers");
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        var batchDims = (int)context.Attributes.GetInt("batch_dims");
        context.Require(batchDims >= 0, "batch_dims must not be negative");
        context.Require(!indices.IsRankStatic || indices.Rank >= 1, "indices must have rank 1 or more");
        if (!data.IsRankStatic || !indices.IsRankStatic || !indices[^1].IsStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var depth = (int)indices[^1].Length;
        context.Require(batchDims < Math.Min(data.Rank, indices.Rank), $"batch_dims {batchDims} must be less than the ranks of data and indices");
        context.Require(batchDims + depth <= data.Rank, $"index tuples of length {depth} after {batchDims} batch dims exceed the data rank {data.Rank}");
        var dims = new List<Dimension>();
        for (var i = 0; i < indices.Rank - 1; i++)
        {
            dims.Add(i < batchDims
                ? indices[i].Merge(data[i]) ?? throw context.Error($"batch dim {i} differs between data {data.ToDisplayString()} and indices {indices.ToDisplayString()}")
                : indices[i]);
        }

        dims.AddRange(data.Skip(batchDims + depth));
        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var batchDims = (int)context.Attributes.GetInt("batch_dims");
        var shape = context.OutputShape(0);
        var sources = SliceOffsets(context, data.Shape, indices, batchDims, out var sliceSize);
        var map = new int[ShapeMath.ElementCount(shape)];
        for (var n = 0; n < sources.Length; n++)
        {
            for (var s = 0; s < sliceSize; s++)
            {
                map[n * sliceSize + s] = (int)(sources[n] + s);
            }
        }

        return [data.Remap(shape, map)];
    }

    /// <summary>
    /// The flat offset in <paramref name="dataShape"/> of the slice each index tuple (last axis of
    /// <paramref name="indices"/>) addresses within its batch, and the slice's element count.
    /// </summary>
    internal static long[] SliceOffsets(EvaluationContext context, long[] dataShape, Tensor indices, int batchDims, out int sliceSize)
    {
        var depth = (int)indices.Shape[^1];
        var strides = ShapeMath.Strides(dataShape);
        var values = indices.ToInt64Array();
        var tuples = depth == 0 ? ShapeMath.ElementCount(indices.Shape.AsSpan(0, indices.Rank - 1)) : values.Length / depth;
        var batches = ShapeMath.ElementCount(dataShape.AsSpan(0, batchDims));
        var tuplesPerBatch = batches == 0 ? 0 : tuples / batches;
        var batchSize = ShapeMath.ElementCount(dataShape.AsSpan(batchDims));
        sliceSize = (int)ShapeMath.ElementCount(dataShape.AsSpan(batchDims + depth));
        var offsets = new long[tuples];
        for (long t = 0; t < tuples; t++)
        {
            var offset = t / tuplesPerBatch * batchSize;
            for (var j = 0; j < depth; j++)
            {
                var length = dataShape[batchDims + j];
                var index = values[t * depth + j];
                var normalized = index < 0 ? index + length : index;
                if (normalized < 0 || normalized >= length)
                {
                    throw context.Error($"index {index} is out of range for dimension {batchDims + j} of length {length}");
                }

                offset += normalized * strides[batchDims + j];
            }

            offsets[t] = offset;
        }

        return offsets;
    }
}

/// <summary>
/// ScatterElementsUpdate-3 (replaces only) and -12: a copy of <c>data</c> where each element of <c>updates</c> is combined
/// (by <c>reduction</c>) into the position its <c>indices</c> entry names on <c>axis</c>.
/// </summary>
public sealed class ScatterElementsUpdateOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("reduction", "none"), AttributeSpec.Bool("use_init_val", true)];

    public ScatterElementsUpdateOp(int version)
        : base("ScatterElementsUpdate", version, 4, 4)
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

/// <summary>
/// ScatterNDUpdate-3 (written as opset4, overwrite only) and ScatterNDUpdate-15 (<c>reduction</c>):
/// a copy of <c>data</c> where the elements or slices addressed by the index tuples of <c>indices</c>
/// are combined with <c>updates</c>. Negative indices count from the end.
/// </summary>
public sealed class ScatterNDUpdateOp : OpDefinition
{
    private static readonly AttributeSpec[] V15Specs = [AttributeSpec.String("reduction", "none")];

    public ScatterNDUpdateOp(int version)
        : base("ScatterNDUpdate", version, 3, 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Version >= 15 ? V15Specs : [];

    public override void Infer(InferenceContext context)
    {
        var reduction = Reduction(context.Attributes);
        context.Require(reduction is "none" or "sum" or "sub" or "prod" or "min" or "max", $"reduction '{reduction}' is not one of none, sum, sub, prod, min, max");
        ScatterKernel.RequireUpdatesOfDataType(context);
        context.Require(context.InputType(1) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, "indices must be i32 or i64");
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        var updates = context.InputShape(2);
        if (data.IsRankStatic && indices.IsRankStatic && indices.Rank >= 1 && indices[^1].IsStatic)
        {
            var depth = (int)indices[^1].Length;
            context.Require(depth <= data.Rank, $"index tuples of length {depth} exceed the data rank {data.Rank}");
            var expected = PartialShape.Of(indices.Take(indices.Rank - 1).Concat(data.Skip(depth)));
            context.Require(updates.IsCompatible(expected) || expected.Rank == 0 && updates.ElementCount().Contains(1),
                $"updates {updates.ToDisplayString()} must have the shape {expected.ToDisplayString()}");
        }

        context.SetOutput(0, context.InputType(0), data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var updates = context.Input(2);
        var offsets = GatherNDOp.SliceOffsets(context, data.Shape, context.Input(1), 0, out var sliceSize);
        var targets = new int[updates.ElementCount];
        for (var n = 0; n < offsets.Length; n++)
        {
            for (var s = 0; s < sliceSize; s++)
            {
                targets[n * sliceSize + s] = (int)(offsets[n] + s);
            }
        }

        return [ScatterKernel.Apply(data, updates, targets, Reduction(context.Attributes), useInitialValues: true)];
    }

    private string Reduction(Attributes attributes) => Version >= 15 ? attributes.GetString("reduction") : "none";
}

/// <summary>The combining step shared by the scatter ops.</summary>
internal static class ScatterKernel
{
    public static void RequireUpdatesOfDataType(InferenceContext context)
    {
        var data = context.InputType(0);
        var updates = context.InputType(2);
        context.Require(data == updates || data == ElementType.Dynamic || updates == ElementType.Dynamic,
            $"updates are {updates.IrName()}, data is {data.IrName()}");
    }

    /// <summary>
    /// A copy of <paramref name="data"/> with update element i combined into flat position
    /// <c>targets[i]</c>, in order: <c>none</c> overwrites; <c>sum</c>, <c>sub</c>, <c>prod</c>,
    /// <c>min</c>, <c>max</c> fold into the current value; <c>mean</c> averages (rounding down for
    /// integers). Without <paramref name="useInitialValues"/> the data value of a touched position is
    /// not part of the result. Booleans: sum = or, prod = and, sub = xor, min = and, max = or.
    /// </summary>
    public static Tensor Apply(Tensor data, Tensor updates, int[] targets, string reduction, bool useInitialValues)
    {
        if (reduction == "none")
        {
            // Overwriting is data movement: read each position from the data or from its last update.
            var map = Enumerable.Range(0, (int)data.ElementCount).ToArray();
            for (var i = 0; i < targets.Length; i++)
            {
                map[targets[i]] = (int)data.ElementCount + i;
            }

            var both = Tensor.ConcatenateFlat(data.Type, [data.ElementCount + updates.ElementCount], [data, updates]);
            return both.Remap(data.Shape, map);
        }

        var hits = new long[data.ElementCount];
        if (data.Type.IsFloatingPoint())
        {
            var values = (double[])data.ToDoubleArray().Clone();
            var update = updates.ToDoubleArray();
            for (var i = 0; i < targets.Length; i++)
            {
                var t = targets[i];
                values[t] = hits[t]++ == 0 && !useInitialValues
                    ? (reduction == "sub" ? -update[i] : update[i])
                    : Combine(reduction, values[t], update[i]);
            }

            if (reduction == "mean")
            {
                for (var t = 0; t < values.Length; t++)
                {
                    var count = hits[t] + (useInitialValues ? 1 : 0);
                    values[t] = hits[t] == 0 ? values[t] : values[t] / count;
                }
            }

            return Tensor.FromDoubles(data.Type, values, data.Shape);
        }

        var integers = (long[])data.ToInt64Array().Clone();
        var updateIntegers = updates.ToInt64Array();
        var logical = data.Type == ElementType.Boolean;
        var unsigned = data.Type == ElementType.U64;
        for (var i = 0; i < targets.Length; i++)
        {
            var t = targets[i];
            integers[t] = hits[t]++ == 0 && !useInitialValues
                ? (reduction == "sub" && !logical ? -updateIntegers[i] : updateIntegers[i])
                : Combine(reduction, integers[t], updateIntegers[i], logical, unsigned);
        }

        if (reduction == "mean")
        {
            for (var t = 0; t < integers.Length; t++)
            {
                var count = hits[t] + (useInitialValues ? 1 : 0);
                integers[t] = hits[t] == 0 ? integers[t] : (long)Math.Floor(integers[t] / (double)count);
            }
        }

        return Tensor.FromInt64s(data.Type, integers, data.Shape);
    }

    private static double Combine(string reduction, double current, double update) => reduction switch
    {
        "sum" or "mean" => current + update,
        "sub" => current - update,
        "prod" => current * update,
        "min" => Math.Min(current, update),
        "max" => Math.Max(current, update),
        _ => throw new InferenceException($"Unknown scatter reduction '{reduction}'."),
    };

    private static long Combine(string reduction, long current, long update, bool logical, bool unsigned)
    {
        if (logical)
        {
            var (a, b) = (current != 0, update != 0);
            return reduction switch
            {
                "sum" or "max" => a || b,
                "prod" or "min" => a && b,
                _ => a ^ b,
            } ? 1 : 0;
        }

        return reduction switch
        {
            "sum" or "mean" => unchecked(current + update),
            "sub" => unchecked(current - update),
            "prod" => unchecked(current * update),
            "min" => (unsigned ? (ulong)update < (ulong)current : update < current) ? update : current,
            "max" => (unsigned ? (ulong)update > (ulong)current : update > current) ? update : current,
            _ => throw new InferenceException($"Unknown scatter reduction '{reduction}'."),
        };
    }
}

/// <summary>
/// OneHot-1: a new axis of length <c>depth</c> at <c>axis</c>, holding <c>on_value</c> where it
/// equals the index and <c>off_value</c> elsewhere (indices outside [0, depth) give all off).
/// </summary>
public sealed class OneHotOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public OneHotOp()
        : base("OneHot", 1, 4, 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(0).IsInteger() || context.InputType(0) == ElementType.Dynamic, "indices must be integers");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "depth must be an integer");
        var type = context.InputType(2);
        context.Require(context.InputType(3) == type || type == ElementType.Dynamic || context.InputType(3) == ElementType.Dynamic,
            $"on_value is {type.IrName()}, off_value is {context.InputType(3).IrName()}");
        for (var i = 1; i < 4; i++)
        {
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || shape.Rank == 0, $"input {i} must be a scalar, not {shape.ToDisplayString()}");
        }

        var indices = context.InputShape(0);
        if (!indices.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.DynamicRank);
            return;
        }

        Dimension depth = Dimension.Dynamic;
        if (context.InputValue(1) is { } depthValue)
        {
            context.Require(depthValue.GetInt64(0) >= 0, $"depth {depthValue.GetInt64(0)} must not be negative");
            depth = depthValue.GetInt64(0);
        }

        var axis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), indices.Rank + 1);
        var dims = indices.ToList();
        dims.Insert(axis, depth);
        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var indices = context.Input(0);
        var shape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), shape.Length);
        var depth = shape[axis];
        var inner = ShapeMath.ElementCount(indices.Shape.AsSpan(axis));
        var values = indices.ToInt64Array();

        // Output viewed as [outer, depth, inner]; the on value sits after the off value.
        var both = Tensor.ConcatenateFlat(context.Input(3).Type, [2], [context.Input(3), context.Input(2)]);
        var map = new int[ShapeMath.ElementCount(shape)];
        for (var n = 0; n < map.Length; n++)
        {
            var i = n % inner;
            var d = n / inner % depth;
            var o = n / inner / depth;
            map[n] = values[o * inner + i] == d ? 1 : 0;
        }

        return [both.Remap(shape, map)];
    }
}

/// <summary>NonZero-3: the coordinates of the non-zero elements, as a [rank, count] tensor in row-major order.</summary>
public sealed class NonZeroOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type", ElementType.I64)];

    public NonZeroOp()
        : base("NonZero", 3, 1, 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.Attributes.GetElementType("output_type");
        context.Require(type is ElementType.I64 or ElementType.I32, $"output_type must be i64 or i32, not {type.IrName()}");
        var data = context.InputShape(0);
        var count = context.InputValue(0) is { } value
            ? Dimension.Of(Enumerable.Range(0, (int)value.ElementCount).Count(i => IsNonZero(value, i)))
            : new Dimension(0, data.ElementCount().Max);
        context.SetOutput(0, type, data.IsRankStatic ? PartialShape.Of(Math.Max(data.Rank, 1), count) : PartialShape.Of(Dimension.Dynamic, count));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var rank = data.Rank;
        var count = shape[1];
        var coordinates = new long[shape[0] * count];
        var strides = ShapeMath.Strides(data.Shape);
        var k = 0;
        for (var n = 0; n < data.ElementCount; n++)
        {
            if (!IsNonZero(data, n))
            {
                continue;
            }

            for (var axis = 0; axis < rank; axis++)
            {
                coordinates[axis * count + k] = n / strides[axis] % data.Shape[axis];
            }

            k++;
        }

        return [Tensor.FromInt64s(context.OutputType(0), coordinates, shape)];
    }

    private static bool IsNonZero(Tensor value, int index) =>
        value.Type == ElementType.String ? ((string[])value.Data)[index].Length > 0 : value.GetDouble(index) != 0;
}

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
        : base("Unique", 10, 1, 2)
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

/// <summary>Eye-9: a (batch of) [num_rows, num_columns] matrix with ones on the diagonal shifted by <c>diagonal_index</c>.</summary>
public sealed class EyeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type")];

    public EyeOp()
        : base("Eye", 9, 3, 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.Attributes.GetElementType("output_type");
        context.Require(type.IsNumeric(), $"output_type must be numeric, not {type.IrName()}");
        for (var i = 0; i < context.InputCount; i++)
        {
            context.Require(context.InputType(i) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, $"input {i} must be i32 or i64");
            var shape = context.InputShape(i);
            context.Require(!shape.IsRankStatic || (i == 3 ? shape.Rank == 1 : shape.Rank == 0 || shape.Rank == 1 && shape[0].Contains(1)),
                i == 3 ? "batch_shape must be 1-D" : $"input {i} must be a scalar or a one-element vector");
        }

        var dims = new List<Dimension>();
        if (context.InputCount > 3)
        {
            var batch = context.InputAsShape(3);
            var batchShape = context.InputShape(3);
            if (batch is null && !batchShape.IsStatic)
            {
                context.SetOutput(0, type, PartialShape.DynamicRank);
                return;
            }

            dims.AddRange(batch ?? PartialShape.DynamicOfRank((int)batchShape[0].Length));
        }

        dims.Add(MatrixDim(context, 0));
        dims.Add(MatrixDim(context, 1));
        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.OutputShape(0);
        var (rows, columns) = (shape[^2], shape[^1]);
        var diagonal = context.Input(2).GetInt64(0);
        var values = new double[ShapeMath.ElementCount(shape)];
        for (long m = 0; m < values.Length; m += rows * columns)
        {
            for (long r = Math.Max(0, -diagonal); r < rows && r + diagonal < columns; r++)
            {
                values[m + r * columns + r + diagonal] = 1;
            }
        }

        return [Tensor.FromDoubles(context.OutputType(0), values, shape)];
    }

    private static Dimension MatrixDim(InferenceContext context, int input)
    {
        if (context.InputAsShape(input) is { } known)
        {
            return known[0];
        }

        if (context.InputValue(input) is { } value)
        {
            throw context.Error($"{(input == 0 ? "num_rows" : "num_columns")} {value.GetInt64(0)} must not be negative");
        }

        return Dimension.Dynamic;
    }
}

/// <summary>CumSum-3: running sums along <c>axis</c> (default 0); <c>exclusive</c> leaves out the current element, <c>reverse</c> sums from the end.</summary>
public sealed class CumSumOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("exclusive", false), AttributeSpec.Bool("reverse", false)];

    public CumSumOp()
        : base("CumSum", 3, 1, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsNumeric() || type == ElementType.Dynamic, $"does not accept {type.IrName()} input");
        var data = context.InputShape(0);
        if (context.InputCount > 1)
        {
            context.Require(context.InputType(1) is ElementType.I32 or ElementType.I64 or ElementType.Dynamic, "axis must be i32 or i64");
            context.Require(!context.InputShape(1).IsRankStatic || context.InputShape(1).Rank == 0, "axis must be a scalar");
            if (data.IsRankStatic && context.InputValue(1) is { } axis)
            {
                SqueezeOp.NormalizeAxis(context, axis.GetInt64(0), data.Rank);
            }
        }

        context.SetOutput(0, type, data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axis = context.InputCount > 1 ? ShapeMath.NormalizeAxis(context.Input(1).GetInt64(0), data.Rank) : 0;
        var exclusive = context.Attributes.GetBool("exclusive");
        var reverse = context.Attributes.GetBool("reverse");
        var length = data.Rank == 0 ? 1 : data.Shape[axis];
        var inner = data.Rank == 0 ? 1 : ShapeMath.ElementCount(data.Shape.AsSpan(axis + 1));
        var outer = length * inner == 0 ? 0 : data.ElementCount / (length * inner);

        // Integers sum in 64 bits (wrapping like the type when converted back), floats in double.
        var floating = data.Type.IsFloatingPoint();
        var doubles = floating ? data.ToDoubleArray() : [];
        var integers = floating ? [] : data.ToInt64Array();
        var doubleSums = new double[floating ? data.ElementCount : 0];
        var integerSums = new long[floating ? 0 : data.ElementCount];
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                double doubleTotal = 0;
                long integerTotal = 0;
                for (long k = 0; k < length; k++)
                {
                    var position = (o * length + (reverse ? length - 1 - k : k)) * inner + i;
                    if (floating)
                    {
                        doubleTotal += exclusive ? 0 : doubles[position];
                        doubleSums[position] = doubleTotal;
                        doubleTotal += exclusive ? doubles[position] : 0;
                    }
                    else
                    {
                        integerTotal = unchecked(integerTotal + (exclusive ? 0 : integers[position]));
                        integerSums[position] = integerTotal;
                        integerTotal = unchecked(integerTotal + (exclusive ? integers[position] : 0));
                    }
                }
            }
        }

        return [floating ? Tensor.FromDoubles(data.Type, doubleSums, data.Shape) : Tensor.FromInt64s(data.Type, integerSums, data.Shape)];
    }
}

/// <summary>BitwiseLeftShift-15 and BitwiseRightShift-15: integer shifts with NumPy broadcasting (arithmetic right shift for signed types).</summary>
public sealed class BitwiseShiftOp : BinaryElementwiseOp
{
    private readonly bool _left;

    public BitwiseShiftOp(bool left)
        : base(left ? "BitwiseLeftShift" : "BitwiseRightShift", 15) => _left = left;

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var shape = context.OutputShape(0);
        var mapA = Broadcasting.IndexMap(shape, a.Shape);
        var mapB = Broadcasting.IndexMap(shape, b.Shape);
        var values = a.ToInt64Array();
        var shifts = b.ToInt64Array();
        var bits = a.Type.BitWidth();
        var result = new long[mapA.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var value = values[mapA[i]];
            var shift = shifts[mapB[i]];
            if (shift < 0)
            {
                throw context.Error($"shift amount {shift} is negative");
            }

            // Shifting by the bit width or more leaves nothing (or only the sign, shifting right).
            result[i] = shift >= bits
                ? (_left || !a.Type.IsSigned() || value >= 0 ? 0 : -1)
                : _left ? value << (int)shift
                : a.Type == ElementType.U64 ? (long)((ulong)value >> (int)shift) : value >> (int)shift;
        }

        return [Tensor.FromInt64s(a.Type, result, shape)];
    }

    protected override void CheckInputType(InferenceContext context, ElementType type) =>
        context.Require(type.IsInteger() || type == ElementType.Dynamic, $"expects integers, not {type.IrName()}");
}

/// <summary>Element indexing, scatter, one-hot, non-zero, unique, eye, cumulative sum and bit shifts.</summary>
public static class IndexingOps
{
    public static readonly OpDefinition GatherElements = new GatherElementsOp();
    public static readonly OpDefinition GatherND = new GatherNDOp();
    public static readonly OpDefinition ScatterElementsUpdate = new ScatterElementsUpdateOp(12);
    public static readonly OpDefinition ScatterElementsUpdateV3 = new ScatterElementsUpdateOp(3);
    public static readonly OpDefinition ScatterNDUpdate = new ScatterNDUpdateOp(4);
    public static readonly OpDefinition ScatterNDUpdateWithReduction = new ScatterNDUpdateOp(15);
    public static readonly OpDefinition OneHot = new OneHotOp();
    public static readonly OpDefinition NonZero = new NonZeroOp();
    public static readonly OpDefinition Unique = new UniqueOp();
    public static readonly OpDefinition Eye = new EyeOp();
    public static readonly OpDefinition CumSum = new CumSumOp();
    public static readonly OpDefinition BitwiseLeftShift = new BitwiseShiftOp(left: true);
    public static readonly OpDefinition BitwiseRightShift = new BitwiseShiftOp(left: false);
}
