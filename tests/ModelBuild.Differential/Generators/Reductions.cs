using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Differential.Generators.RandomValues;

namespace ModelBuild.Differential.Generators;

/// <summary>Reductions (axes as attribute before opset 18, as input from 18; keepdims; noop_with_empty_axes), ArgMax and ArgMin.</summary>
public static class Reductions
{
    public static IEnumerable<OpSpec> Specs() =>
    [
        .. Reduce("ReduceSum", positive: false, emptyAllowed: true),
        .. Reduce("ReduceMean", positive: false, emptyAllowed: false),
        .. Reduce("ReduceMax", positive: false, emptyAllowed: false),
        .. Reduce("ReduceMin", positive: false, emptyAllowed: false),
        .. Reduce("ReduceProd", positive: false, emptyAllowed: true),
        .. Reduce("ReduceL1", positive: false, emptyAllowed: true),
        .. Reduce("ReduceL2", positive: false, emptyAllowed: true),
        .. Reduce("ReduceLogSum", positive: true, emptyAllowed: false),
        .. Reduce("ReduceLogSumExp", positive: false, emptyAllowed: false),
        .. Reduce("ReduceSumSquare", positive: false, emptyAllowed: true),
        Arg("ArgMax"),
        Arg("ArgMin"),
    ];

    private static IEnumerable<OpSpec> Reduce(string op, bool positive, bool emptyAllowed) =>
        [Reduce(op, positive, emptyAllowed, opset: 13), Reduce(op, positive, emptyAllowed, opset: 18)];

    private static OpSpec Reduce(string op, bool positive, bool emptyAllowed, int opset) => new(op, b =>
    {
        var type = op is "ReduceMax" or "ReduceMin" or "ReduceSum" or "ReduceProd" ? b.Random.Pick(ElementType.F32, ElementType.F64, ElementType.I32, ElementType.I64) : b.Random.Pick(ElementType.F32, ElementType.F64);
        var shape = b.Random.AnyShape(maxRank: 5, allowEmpty: emptyAllowed);
        var values = positive ? b.Random.Floats(type, shape, 0.1, 2)
            : type.IsInteger() ? b.Random.Integers(type, shape, -3, 3)
            : op == "ReduceProd" ? b.Random.Floats(type, shape, 0.5, 1.5) : b.Random.Values(type, shape);
        var x = b.Input(values);
        var attributes = new List<AttributeProto>();
        if (b.Random.Chance(0.8))
        {
            attributes.Add(OnnxAttributes.Int("keepdims", b.Random.Next(2)));
        }

        // Opset 13 (axes an attribute but ReduceSum's an input) or 18 (every reduction's axes an input).
        var axesAsInput = opset >= 18 || op == "ReduceSum";
        var axes = shape.Length > 0 && b.Random.Chance(0.8) ? b.Random.Axes(shape.Length) : [];
        var inputs = new List<string> { x };
        if (axesAsInput)
        {
            if (axes.Length > 0 || b.Random.Chance(0.3))
            {
                inputs.Add(b.Constant(Int64s(axes)));
            }

            if (axes.Length == 0 && b.Random.Chance(0.5))
            {
                attributes.Add(OnnxAttributes.Int("noop_with_empty_axes", b.Random.Next(2)));
            }
        }
        else if (axes.Length > 0)
        {
            attributes.Add(OnnxAttributes.Ints("axes", axes));
        }

        b.Note($"axes [{string.Join(",", axes)}]");
        b.Output(Elementwise.Chain(b, b.Node1(op, [.. inputs], type, [.. attributes])));
    }, opset);

    private static OpSpec Arg(string op) => new(op, b =>
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.I32, ElementType.I64);
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 5);
        // Few distinct values: ties, where select_last_index decides.
        var x = b.Input(type.IsFloatingPoint() ? b.Random.Halves(type, shape) : b.Random.Integers(type, shape, -2, 2));
        var attributes = new List<AttributeProto> { OnnxAttributes.Int("axis", b.Random.Axis(shape.Length)) };
        if (b.Random.Chance(0.7))
        {
            attributes.Add(OnnxAttributes.Int("keepdims", b.Random.Next(2)));
        }

        if (b.Random.Chance(0.6))
        {
            attributes.Add(OnnxAttributes.Int("select_last_index", b.Random.Next(2)));
        }

        b.Output(b.Node1(op, [x], ElementType.I64, [.. attributes]));
    }, Opset: 13);
}
