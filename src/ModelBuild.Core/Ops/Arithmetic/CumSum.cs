using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>CumSum-3: running sums along <c>axis</c> (default 0); <c>exclusive</c> leaves out the current element, <c>reverse</c> sums from the end.</summary>
public sealed class CumSumOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("exclusive", false), AttributeSpec.Bool("reverse", false)];

    public CumSumOp()
        : base("CumSum", version: 3, minInputs: 1, maxInputs: 2)
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

public static partial class ArithmeticOps
{
    public static readonly OpDefinition CumSum = new CumSumOp();
}
