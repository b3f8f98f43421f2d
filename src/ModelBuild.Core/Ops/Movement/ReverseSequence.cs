using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>ReverseSequence-1: for each index b on <c>batch_axis</c>, reverses the first <c>seq_lengths[b]</c> elements along <c>seq_axis</c>.</summary>
public sealed class ReverseSequenceOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("batch_axis", 0), AttributeSpec.Int("seq_axis", 1)];

    public ReverseSequenceOp()
        : base("ReverseSequence", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var lengths = context.InputShape(1);
        context.Require(context.InputType(1).IsNumeric() || context.InputType(1) == ElementType.Dynamic, "seq_lengths must be numbers");
        context.Require(!lengths.IsRankStatic || lengths.Rank == 1, "seq_lengths must be 1-D");
        if (data.IsRankStatic)
        {
            context.Require(data.Rank >= 2, "data must have rank 2 or more");
            var batchAxis = SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("batch_axis"), data.Rank);
            SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("seq_axis"), data.Rank);
            context.Require(!lengths.IsRankStatic || data[batchAxis].IsCompatible(lengths[0]),
                $"seq_lengths has {lengths[0]} values, the batch axis has {data[batchAxis]}");
        }

        context.SetOutput(0, context.InputType(0), data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var lengths = context.Input(1).ToInt64Array();
        var batchAxis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("batch_axis"), data.Rank);
        var seqAxis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("seq_axis"), data.Rank);
        var strides = ShapeMath.Strides(data.Shape);
        var map = new int[data.ElementCount];
        var index = new long[data.Rank];
        for (var n = 0; n < map.Length; n++)
        {
            var length = lengths[index[batchAxis]];
            if (length < 0 || length > data.Shape[seqAxis])
            {
                throw context.Error($"sequence length {length} is outside [0, {data.Shape[seqAxis]}]");
            }

            var position = index[seqAxis];
            map[n] = (int)(n + (position < length ? length - 1 - 2 * position : 0) * strides[seqAxis]);
            for (var axis = data.Rank - 1; axis >= 0 && ++index[axis] == data.Shape[axis]; axis--)
            {
                index[axis] = 0;
            }
        }

        return [data.Remap(data.Shape, map)];
    }
}

public static partial class MovementOps
{
    public static readonly OpDefinition ReverseSequence = new ReverseSequenceOp();
}
