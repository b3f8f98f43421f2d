using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Broadcast-3: <c>numpy</c> (data into target shape), <c>bidirectional</c> (both ways) or <c>explicit</c> (axes_mapping).</summary>
public sealed class BroadcastOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("mode", "numpy")];

    public BroadcastOp()
        : base("Broadcast", version: 3, minInputs: 2, maxInputs: 3)
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

public static partial class MovementOps
{
    public static readonly OpDefinition Broadcast = new BroadcastOp();
}
