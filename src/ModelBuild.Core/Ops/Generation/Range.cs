using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Range-4: start, stop, step scalars; length max(ceil((stop − start) / step), 0).</summary>
public sealed class RangeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Type("output_type")];

    public RangeOp()
        : base("Range", version: 4, minInputs: 3, maxInputs: 3)
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

public static partial class GenerationOps
{
    public static readonly OpDefinition Range = new RangeOp();
}
