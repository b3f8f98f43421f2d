using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Pad-1 and Pad-12: adds (or, from version 12, when negative, removes) <c>pads_begin</c>/<c>pads_end</c> elements on each axis,
/// filled by <c>pad_mode</c>: <c>constant</c> (the <c>pad_value</c> input, default 0), <c>edge</c>,
/// <c>reflect</c> (edges not repeated) or <c>symmetric</c> (edges repeated).
/// </summary>
public sealed class PadOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("pad_mode")];

    public PadOp(int version)
        : base("Pad", version, minInputs: 3, maxInputs: 4)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var mode = context.Attributes.GetString("pad_mode");
        context.Require(mode is "constant" or "edge" or "reflect" or "symmetric", $"pad_mode '{mode}' is not one of constant, edge, reflect, symmetric");
        var type = context.InputType(0);
        if (context.InputCount > 3)
        {
            context.Require(mode == "constant", "pad_value is only allowed with pad_mode constant");
            context.Require(context.InputType(3) == type || context.InputType(3) == ElementType.Dynamic || type == ElementType.Dynamic,
                $"pad_value is {context.InputType(3).IrName()}, data is {type.IrName()}");
            context.Require(!context.InputShape(3).IsRankStatic || context.InputShape(3).Rank == 0, "pad_value must be a scalar");
        }

        var data = context.InputShape(0);
        for (var i = 1; i <= 2; i++)
        {
            var shape = context.InputShape(i);
            context.Require(context.InputType(i).IsInteger() || context.InputType(i) == ElementType.Dynamic, $"input {i} must be integers");
            context.Require(!shape.IsRankStatic || shape.Rank == 1, $"input {i} must be 1-D");
            context.Require(!data.IsRankStatic || !shape.IsStatic || shape[0].Length == data.Rank,
                $"input {i} has {(shape.IsStatic ? shape[0].Length : 0)} values, data has rank {(data.IsRankStatic ? data.Rank : 0)}");
        }

        var begins = context.InputValue(1)?.ToInt64Array();
        var ends = context.InputValue(2)?.ToInt64Array();
        context.Require(Version >= 12 || !(begins ?? []).Concat(ends ?? []).Any(p => p < 0), "Pad-1 takes no negative pads");
        if (!data.IsRankStatic || begins is null || ends is null)
        {
            context.SetOutput(0, type, data.IsRankStatic ? PartialShape.DynamicOfRank(data.Rank) : PartialShape.DynamicRank);
            return;
        }

        var dims = new Dimension[data.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            var dim = data[axis];
            if (dim.IsStatic && mode is "reflect" or "symmetric")
            {
                var limit = mode == "reflect" ? dim.Length - 1 : dim.Length;
                context.Require(begins[axis] <= limit && ends[axis] <= limit,
                    $"{mode} padding of {begins[axis]}/{ends[axis]} on axis {axis} exceeds {limit} for a dimension of {dim.Length}");
            }

            context.Require(mode == "constant" || !dim.IsStatic || dim.Length > 0 || begins[axis] <= 0 && ends[axis] <= 0,
                $"{mode} padding needs a non-empty axis {axis}");
            var total = begins[axis] + ends[axis];
            dims[axis] = total >= 0 ? dim + Dimension.Of(total) : dim - Dimension.Of(-total);
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var begins = context.Input(1).ToInt64Array();
        var mode = context.Attributes.GetString("pad_mode");
        var coordinates = new long[shape.Length][];
        for (var axis = 0; axis < shape.Length; axis++)
        {
            var length = data.Shape[axis];
            coordinates[axis] = new long[shape[axis]];
            for (long i = 0; i < shape[axis]; i++)
            {
                coordinates[axis][i] = SourceIndex(mode, i - begins[axis], length);
            }
        }

        var map = IndexMaps.AxisWise(shape, coordinates, data.Shape);
        if (mode != "constant")
        {
            return [data.Remap(shape, map)];
        }

        // Padding reads one extra element appended after the data: the pad value.
        var fill = context.InputCount > 3 ? context.Input(3) : Tensor.Zeros(data.Type);
        var extended = Tensor.ConcatenateFlat(data.Type, [data.ElementCount + 1], [data, fill]);
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0)
            {
                map[i] = (int)data.ElementCount;
            }
        }

        return [extended.Remap(shape, map)];
    }

    /// <summary>The source index along an axis of <paramref name="length"/> for position <paramref name="index"/> (may be outside), -1 for a constant pad.</summary>
    private static long SourceIndex(string mode, long index, long length)
    {
        if (index >= 0 && index < length)
        {
            return index;
        }

        switch (mode)
        {
            case "edge":
                return Math.Clamp(index, 0, length - 1);
            case "reflect":
            {
                var period = 2 * (length - 1);
                if (period == 0)
                {
                    return 0;
                }

                var folded = ((index % period) + period) % period;
                return folded < length ? folded : period - folded;
            }

            case "symmetric":
            {
                var period = 2 * length;
                var folded = ((index % period) + period) % period;
                return folded < length ? folded : period - 1 - folded;
            }

            default:
                return -1;
        }
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Pad = new PadOp(version: 12);
    public static readonly OpDefinition PadV1 = new PadOp(version: 1);
}
