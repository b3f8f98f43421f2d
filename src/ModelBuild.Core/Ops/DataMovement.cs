using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Concat-1: joins inputs of equal rank and type along <c>axis</c>.</summary>
public sealed class ConcatOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis")];

    public ConcatOp()
        : base("Concat", 1, 1, int.MaxValue)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var type = ElementType.Dynamic;
        PartialShape? shape = null;
        var axisValue = context.Attributes.GetInt("axis");
        Dimension concatenated = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var inputType = context.InputType(i);
            context.Require(type == ElementType.Dynamic || inputType == ElementType.Dynamic || inputType == type,
                $"input {i} is {inputType.IrName()}, the others are {type.IrName()}");
            type = inputType == ElementType.Dynamic ? type : inputType;

            var input = context.InputShape(i);
            if (!input.IsRankStatic)
            {
                continue;
            }

            var axis = SqueezeOp.NormalizeAxis(context, axisValue, input.Rank);
            concatenated += input[axis];
            var others = PartialShape.Of(input.Select((d, k) => k == axis ? Dimension.Dynamic : d));
            shape = shape is null ? others : shape.Merge(others)
                ?? throw context.Error($"input {i} has shape {input.ToDisplayString()}, which does not match the other inputs");
        }

        if (shape is null || Enumerable.Range(0, context.InputCount).Any(i => !context.InputShape(i).IsRankStatic))
        {
            context.SetOutput(0, type, shape is null ? PartialShape.DynamicRank : WithAxis(shape, axisValue, Dimension.Dynamic));
            return;
        }

        var output = WithAxis(shape, axisValue, concatenated);
        context.SetOutput(0, type, output);
        InferSymbolicValue(context, output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.OutputShape(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), shape.Length);
        var inputs = context.Inputs;
        var outer = ShapeMath.ElementCount(shape.AsSpan(0, axis));
        var type = inputs[0].Type;
        var result = Tensor.NewStorage(type, ShapeMath.ElementCount(shape));
        long offset = 0;
        for (long o = 0; o < outer; o++)
        {
            foreach (var input in inputs)
            {
                var block = ShapeMath.ElementCount(input.Shape.AsSpan(axis));
                Array.Copy(input.Data, o * block, result, offset, block);
                offset += block;
            }
        }

        return [new Tensor(type, shape, result)];
    }

    private static PartialShape WithAxis(PartialShape shape, long axis, Dimension dim)
    {
        var dims = shape.ToArray();
        dims[ShapeMath.NormalizeAxis(axis, dims.Length)] = dim;
        return PartialShape.Of(dims);
    }

    private static void InferSymbolicValue(InferenceContext context, PartialShape output)
    {
        if (output.Rank != 1)
        {
            return;
        }

        var values = new List<Dimension>();
        for (var i = 0; i < context.InputCount; i++)
        {
            var value = context.InputAsShape(i);
            if (value is null)
            {
                return;
            }

            values.AddRange(value);
        }

        context.SetSymbolicValue(0, PartialShape.Of(values));
    }
}

/// <summary>Transpose-1: permutes axes by a constant order input; an empty order reverses them.</summary>
public sealed class TransposeOp : OpDefinition
{
    public TransposeOp()
        : base("Transpose", 1, 2, 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var order = context.InputValue(1);
        if (order is null || !data.IsRankStatic)
        {
            context.SetOutput(0, context.InputType(0), data.IsRankStatic ? PartialShape.DynamicOfRank(data.Rank) : PartialShape.DynamicRank);
            return;
        }

        var permutation = Permutation(context, order, data.Rank);
        context.SetOutput(0, context.InputType(0), PartialShape.Of(permutation.Select(axis => data[axis])));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var order = Permutation(null, context.Input(1), data.Rank);
        var map = IndexMaps.Transpose(data.Shape, order, out var shape);
        return [data.Remap(shape, map)];
    }

    private static int[] Permutation(InferenceContext? context, Tensor order, int rank)
    {
        var values = order.ToInt64Array();
        if (values.Length == 0)
        {
            return Enumerable.Range(0, rank).Reverse().ToArray();
        }

        var permutation = values.Select(v => (int)(v < 0 ? v + rank : v)).ToArray();
        var valid = permutation.Length == rank && permutation.OrderBy(v => v).SequenceEqual(Enumerable.Range(0, rank));
        if (!valid)
        {
            var message = $"order [{string.Join(",", values)}] is not a permutation of {rank} axes";
            throw context?.Error(message) ?? new InferenceException($"Transpose: {message}");
        }

        return permutation;
    }
}

/// <summary>Gather-8: takes slices of <c>data</c> along an axis at <c>indices</c> (negative indices count from the end).</summary>
public sealed class GatherOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_dims", 0)];

    public GatherOp()
        : base("Gather", 8, 3, 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "indices must be integers");
        var axisValue = context.InputValue(2);
        if (!data.IsRankStatic || !indices.IsRankStatic || axisValue is null)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var axis = SqueezeOp.NormalizeAxis(context, axisValue.GetInt64(0), data.Rank);
        var batchDims = NormalizeBatchDims(context.Attributes.GetInt("batch_dims"), indices.Rank);
        context.Require(batchDims <= axis, $"batch_dims {batchDims} must not exceed axis {axis}");
        var dims = new List<Dimension>();
        dims.AddRange(data.Take(axis));
        dims.AddRange(indices.Skip(batchDims));
        dims.AddRange(data.Skip(axis + 1));
        var output = PartialShape.Of(dims);
        context.SetOutput(0, context.InputType(0), output);

        // Picking entries out of a shape vector (x.shape[i]) keeps what is known about them.
        if (data.Rank == 1 && context.InputAsShape(0) is { } values && context.InputValue(1) is { } picked)
        {
            var chosen = picked.ToInt64Array().Select(i => values[(int)(i < 0 ? i + values.Rank : i)]);
            context.SetSymbolicValue(0, PartialShape.Of(chosen));
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1).ToInt64Array();
        var indicesShape = context.Input(1).Shape;
        var axis = ShapeMath.NormalizeAxis(context.Input(2).GetInt64(0), data.Rank);
        var batchDims = NormalizeBatchDims(context.Attributes.GetInt("batch_dims"), indicesShape.Length);
        var shape = context.OutputShape(0);

        // data viewed as [batch, outer, axisLength, inner]; indices as [batch, perBatch].
        var batch = ShapeMath.ElementCount(data.Shape.AsSpan(0, batchDims));
        var outer = ShapeMath.ElementCount(data.Shape.AsSpan(batchDims, axis - batchDims));
        var axisLength = data.Shape[axis];
        var inner = ShapeMath.ElementCount(data.Shape.AsSpan(axis + 1));
        var perBatch = ShapeMath.ElementCount(indicesShape.AsSpan(batchDims));
        var map = new int[ShapeMath.ElementCount(shape)];
        var n = 0;
        for (long b = 0; b < batch; b++)
        {
            for (long o = 0; o < outer; o++)
            {
                for (long k = 0; k < perBatch; k++)
                {
                    var index = indices[b * perBatch + k];
                    if (index < 0)
                    {
                        index += axisLength;
                    }

                    if (index < 0 || index >= axisLength)
                    {
                        throw context.Error($"index {indices[b * perBatch + k]} is out of range for axis length {axisLength}");
                    }

                    var start = ((b * outer + o) * axisLength + index) * inner;
                    for (long i = 0; i < inner; i++)
                    {
                        map[n++] = (int)(start + i);
                    }
                }
            }
        }

        return [data.Remap(shape, map)];
    }

    private static int NormalizeBatchDims(long batchDims, int indicesRank) => (int)(batchDims < 0 ? batchDims + indicesRank : batchDims);
}

/// <summary>Broadcast-3: <c>numpy</c> (data into target shape), <c>bidirectional</c> (both ways) or <c>explicit</c> (axes_mapping).</summary>
public sealed class BroadcastOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("mode", "numpy")];

    public BroadcastOp()
        : base("Broadcast", 3, 2, 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var mode = context.Attributes.GetString("mode");
        var target = context.InputAsShape(1);
        if (target is null)
        {
            var targetShape = context.InputShape(1);
            var rank = targetShape.IsStatic ? (int)targetShape[0].Length : -1;
            if (rank < 0 || mode == "bidirectional" && !data.IsRankStatic)
            {
                context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
                return;
            }

            target = PartialShape.DynamicOfRank(rank);
            if (mode == "bidirectional")
            {
                target = Broadcasting.Numpy(data, target) ?? target;
            }

            context.SetOutput(0, context.InputType(0), target);
            return;
        }

        var output = mode switch
        {
            "numpy" => NumpyInto(context, data, target),
            "bidirectional" => Broadcasting.Numpy(data, target)
                ?? throw context.Error($"shapes {data.ToDisplayString()} and {target.ToDisplayString()} do not broadcast"),
            "explicit" => ExplicitInto(context, data, target),
            _ => throw context.Error($"mode '{mode}' is not supported"),
        };
        context.SetOutput(0, context.InputType(0), output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        if (context.Attributes.GetString("mode") == "explicit")
        {
            var axes = context.Input(2).ToInt64Array();
            var aligned = new long[shape.Length];
            Array.Fill(aligned, 1L);
            for (var i = 0; i < axes.Length; i++)
            {
                aligned[axes[i]] = data.Shape[i];
            }

            data = data.Reshape(aligned);
        }

        return [data.Remap(shape, Broadcasting.IndexMap(shape, data.Shape))];
    }

    private static PartialShape NumpyInto(InferenceContext context, PartialShape data, PartialShape target)
    {
        if (!data.IsRankStatic)
        {
            return target;
        }

        context.Require(data.Rank <= target.Rank, $"cannot broadcast {data.ToDisplayString()} to {target.ToDisplayString()}");
        var broadcast = Broadcasting.Numpy(data, target)
            ?? throw context.Error($"cannot broadcast {data.ToDisplayString()} to {target.ToDisplayString()}");

        // The target decides every dim, except that a dynamic target dim becomes the data's dim.
        return PartialShape.Of(target.Select((d, i) => d.IsStatic ? d : broadcast[i]));
    }

    private static PartialShape ExplicitInto(InferenceContext context, PartialShape data, PartialShape target)
    {
        context.Require(context.InputCount == 3, "explicit mode needs axes_mapping");
        return target;
    }
}

/// <summary>Select-1: element-wise choice between two inputs by a boolean condition, all broadcast NumPy-style.</summary>
public sealed class SelectOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("auto_broadcast", "numpy")];

    public SelectOp()
        : base("Select", 1, 3, 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(0) is ElementType.Boolean or ElementType.Dynamic, "the condition must be boolean");
        var type = context.InputType(1) == ElementType.Dynamic ? context.InputType(2) : context.InputType(1);
        context.Require(context.InputType(2) == type || context.InputType(2) == ElementType.Dynamic,
            $"then and else differ in type ({context.InputType(1).IrName()}, {context.InputType(2).IrName()})");
        var shape = Broadcasting.Numpy(context.InputShape(1), context.InputShape(2));
        shape = shape is null ? null : Broadcasting.Numpy(context.InputShape(0), shape);
        context.SetOutput(0, type, shape ?? throw context.Error("the inputs do not broadcast"));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var condition = context.Input(0);
        var then = context.Input(1);
        var otherwise = context.Input(2);
        var shape = context.OutputShape(0);
        var mapCondition = Broadcasting.IndexMap(shape, condition.Shape);
        var mapThen = Broadcasting.IndexMap(shape, then.Shape);
        var mapElse = Broadcasting.IndexMap(shape, otherwise.Shape);
        var flags = condition.As<bool>();

        // Both candidates side by side in one array, so one remap picks from either.
        var both = Tensor.ConcatenateFlat(then.Type, [then.ElementCount + otherwise.ElementCount], [then, otherwise]);
        var map = new int[mapThen.Length];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = flags[mapCondition[i]] ? mapThen[i] : (int)then.ElementCount + mapElse[i];
        }

        return [both.Remap(shape, map)];
    }
}

/// <summary>Range-4: start, stop, step scalars; length max(ceil((stop − start) / step), 0).</summary>
public sealed class RangeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type")];

    public RangeOp()
        : base("Range", 4, 3, 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.Attributes.GetElementType("output_type");
        var start = context.InputValue(0);
        var stop = context.InputValue(1);
        var step = context.InputValue(2);
        if (start is null || stop is null || step is null)
        {
            context.SetOutput(0, type, PartialShape.Of(Dimension.Dynamic));
            return;
        }

        var length = Length(context, start.GetDouble(0), stop.GetDouble(0), step.GetDouble(0), type);
        context.SetOutput(0, type, PartialShape.Static(length));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var type = context.OutputType(0);
        var start = context.Input(0).GetDouble(0);
        var step = context.Input(2).GetDouble(0);
        var length = context.OutputShape(0)[0];
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = start + i * step;
        }

        return [Tensor.FromDoubles(type, values, [length])];
    }

    private static long Length(InferenceContext context, double start, double stop, double step, ElementType type)
    {
        context.Require(step != 0, "step must not be zero");
        if (type.IsInteger())
        {
            // Integer ranges count in the output type, like ONNX's Range on integers.
            start = Math.Truncate(start);
            stop = Math.Truncate(stop);
            step = Math.Truncate(step);
            context.Require(step != 0, "step must not be zero");
        }

        return Math.Max((long)Math.Ceiling((stop - start) / step), 0);
    }
}

public static class DataMovementOps
{
    public static readonly OpDefinition Concat = new ConcatOp();
    public static readonly OpDefinition Transpose = new TransposeOp();
    public static readonly OpDefinition Gather = new GatherOp();
    public static readonly OpDefinition Broadcast = new BroadcastOp();
    public static readonly OpDefinition Select = new SelectOp();
    public static readonly OpDefinition Range = new RangeOp();
}
