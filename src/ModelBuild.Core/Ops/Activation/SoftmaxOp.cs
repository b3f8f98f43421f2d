using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// SoftMax-8 and LogSoftmax-5: normalize exponentials along one <c>axis</c> (negative counts from
/// the end). Both subtract the slice maximum first, so large inputs do not overflow.
/// </summary>
public sealed class SoftmaxOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("axis", 1)];
    private readonly bool _log;

    public SoftmaxOp(string type, int version, bool log)
        : base(type, version, minInputs: 1, maxInputs: 1) => _log = log;

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsFloatingPoint() || type == ElementType.Dynamic, $"does not accept {type.IrName()} input");
        var shape = context.InputShape(0);
        if (shape.IsRankStatic)
        {
            SqueezeOp.NormalizeAxis(context, context.Attributes.GetInt("axis"), shape.Rank);
        }

        context.SetOutput(0, type, shape);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var axis = ShapeMath.NormalizeAxis(context.Attributes.GetInt("axis"), x.Rank);
        var values = x.ToDoubleArray();
        var result = new double[values.Length];
        var length = x.Shape[axis];
        var inner = ShapeMath.ElementCount(x.Shape.AsSpan(axis + 1));
        var outer = ShapeMath.ElementCount(x.Shape.AsSpan(0, axis));
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                // The slice along the axis: start, start + inner, start + 2·inner, ...
                var start = o * length * inner + i;
                var max = double.NegativeInfinity;
                for (long k = 0; k < length; k++)
                {
                    max = Math.Max(max, values[start + k * inner]);
                }

                var sum = 0.0;
                for (long k = 0; k < length; k++)
                {
                    sum += Math.Exp(values[start + k * inner] - max);
                }

                for (long k = 0; k < length; k++)
                {
                    var shifted = values[start + k * inner] - max;
                    result[start + k * inner] = _log ? shifted - Math.Log(sum) : Math.Exp(shifted) / sum;
                }
            }
        }

        return [Tensor.FromDoubles(x.Type, result, x.Shape)];
    }
}
