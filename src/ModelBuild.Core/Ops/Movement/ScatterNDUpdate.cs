using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// ScatterNDUpdate-3 (written as opset4, overwrite only) and ScatterNDUpdate-15 (<c>reduction</c>):
/// a copy of <c>data</c> where the elements or slices addressed by the index tuples of <c>indices</c>
/// are combined with <c>updates</c>. Negative indices count from the end.
/// </summary>
public sealed class ScatterNDUpdateOp : OpDefinition
{
    private static readonly AttributeSpec[] V15Specs = [AttributeSpec.String("reduction", "none")];

    public ScatterNDUpdateOp(int version)
        : base("ScatterNDUpdate", version, minInputs: 3, maxInputs: 3)
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

public static partial class MovementOps
{
    public static readonly OpDefinition ScatterNDUpdate = new ScatterNDUpdateOp(version: 4);
    public static readonly OpDefinition ScatterNDUpdateWithReduction = new ScatterNDUpdateOp(version: 15);
}
