using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Unsqueeze-1: inserts size-1 axes; axes count in the output's rank.</summary>
public sealed class UnsqueezeOp : OpDefinition
{
    public UnsqueezeOp()
        : base("Unsqueeze", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var axesValue = context.InputValue(1);
        if (!data.IsRankStatic || axesValue is null)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var axes = axesValue.ToInt64Array();
        var rank = data.Rank + axes.Length;
        var inserted = new bool[rank];
        foreach (var axis in axes)
        {
            var normalized = SqueezeOp.NormalizeAxis(context, axis, rank);
            context.Require(!inserted[normalized], $"axis {axis} is repeated");
            inserted[normalized] = true;
        }

        var dims = new Dimension[rank];
        var next = 0;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = inserted[i] ? Dimension.Of(1) : data[next++];
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
        if (context.Input(0).SymbolicValue is { } value)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).Reshape(context.OutputShape(0))];
}

public static partial class ShapeOps
{
    public static readonly OpDefinition Unsqueeze = new UnsqueezeOp();
}
