using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Tile-1: repeats <c>data</c> <c>repeats[i]</c> times along each axis; the shorter of the two is padded with leading 1s.</summary>
public sealed class TileOp : OpDefinition
{
    public TileOp()
        : base("Tile", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "repeats must be integers");
        var data = context.InputShape(0);
        var repeatsShape = context.InputShape(1);
        context.Require(!repeatsShape.IsRankStatic || repeatsShape.Rank == 1, "repeats must be 1-D");
        if (context.InputValue(1) is { } constant)
        {
            context.Require(constant.ToInt64Array().All(r => r >= 0), $"repeats [{string.Join(",", constant.ToInt64Array())}] must not be negative");
        }

        if (!data.IsRankStatic || !repeatsShape.IsStatic)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var repeats = context.InputAsShape(1) ?? PartialShape.DynamicOfRank((int)repeatsShape[0].Length);
        var rank = Math.Max(data.Rank, repeats.Rank);
        var dims = new Dimension[rank];
        for (var i = 0; i < rank; i++)
        {
            var d = i < rank - data.Rank ? Dimension.Of(1) : data[i - (rank - data.Rank)];
            var r = i < rank - repeats.Rank ? Dimension.Of(1) : repeats[i - (rank - repeats.Rank)];
            dims[i] = d * r;
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var shape = context.OutputShape(0);
        var source = new long[shape.Length];
        Array.Fill(source, 1L);
        data.Shape.CopyTo(source, shape.Length - data.Rank);
        var coordinates = shape.Select((length, axis) => Enumerable.Range(0, (int)length).Select(i => i % source[axis]).ToArray()).ToArray();
        return [data.Remap(shape, IndexMaps.AxisWise(shape, coordinates, source))];
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition Tile = new TileOp();
}
