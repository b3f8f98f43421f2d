using System.Numerics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// FakeQuantize-1: element-wise linear quantization of floating-point data into <c>levels</c> values, kept in the data's
/// floating-point type. Inputs: data, input_low, input_high, output_low, output_high, the four ranges broadcast against
/// the data (NumPy rules, or none: all shapes equal). A value at or below min(input_low, input_high) gives output_low,
/// one above max(input_low, input_high) gives output_high, any other
/// <c>nearbyint((x − input_low) / (input_high − input_low) · (levels − 1)) / (levels − 1) · (output_high − output_low) + output_low</c>,
/// computed step by step in the data's precision with ties rounded to even, as OpenVINO's reference kernel does.
/// OpenVINO's low-precision pipeline recognizes quantized tensors by this op.
/// </summary>
public sealed class FakeQuantizeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("levels"), AttributeSpec.String("auto_broadcast", "numpy")];

    public FakeQuantizeOp()
        : base("FakeQuantize", version: 1, minInputs: 5, maxInputs: 5)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = Enumerable.Range(0, 5).Select(context.InputType).FirstOrDefault(t => t != ElementType.Dynamic, ElementType.Dynamic);
        context.Require(type == ElementType.Dynamic || type.IsFloatingPoint(), $"the data must be floating-point, not {type.IrName()}");
        for (var i = 1; i < 5; i++)
        {
            context.Require(context.InputType(i) == type || context.InputType(i) == ElementType.Dynamic,
                $"input {i} is {context.InputType(i).IrName()}, the data is {type.IrName()}");
        }

        var levels = context.Attributes.GetInt("levels");
        context.Require(levels >= 2, $"levels must be 2 or more, not {levels}");
        var mode = context.Attributes.GetString("auto_broadcast");
        var shape = context.InputShape(0);
        for (var i = 1; i < 5; i++)
        {
            var range = context.InputShape(i);
            var merged = mode switch
            {
                "numpy" => Broadcasting.Numpy(shape, range),
                "none" => shape.Merge(range),
                _ => throw context.Error($"auto_broadcast '{mode}' is not supported"),
            };
            shape = merged ?? throw context.Error($"input {i} of shape {range.ToDisplayString()} does not broadcast to the data's {shape.ToDisplayString()}");
        }

        context.SetOutput(0, type, shape);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.OutputShape(0);
        var inputs = Enumerable.Range(0, 5).Select(context.Input).ToArray();
        var maps = inputs.Select(input => Broadcasting.IndexMap(shape, input.Shape)).ToArray();
        var levels = context.Attributes.GetInt("levels");
        var data = inputs[0].Type switch
        {
            ElementType.F16 => (Array)Quantize(inputs.Select(i => i.As<Half>()).ToArray(), maps, levels),
            ElementType.F32 => Quantize(inputs.Select(i => i.As<float>()).ToArray(), maps, levels),
            ElementType.F64 => Quantize(inputs.Select(i => i.As<double>()).ToArray(), maps, levels),
            var other => throw context.Error($"{other.IrName()} data cannot be evaluated"),
        };
        return [new Tensor(inputs[0].Type, shape, data)];
    }

    private static T[] Quantize<T>(T[][] inputs, int[][] maps, long levels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var steps = T.CreateChecked(levels - 1);
        var result = new T[maps[0].Length];
        for (var i = 0; i < result.Length; i++)
        {
            var x = inputs[0][maps[0][i]];
            var inputLow = inputs[1][maps[1][i]];
            var inputHigh = inputs[2][maps[2][i]];
            var outputLow = inputs[3][maps[3][i]];
            var outputHigh = inputs[4][maps[4][i]];
            if (x <= T.Min(inputLow, inputHigh))
            {
                result[i] = outputLow;
            }
            else if (x > T.Max(inputLow, inputHigh))
            {
                result[i] = outputHigh;
            }
            else
            {
                var level = T.Round((x - inputLow) / (inputHigh - inputLow) * steps, MidpointRounding.ToEven);
                result[i] = level / steps * (outputHigh - outputLow) + outputLow;
            }
        }

        return result;
    }
}

public static partial class QuantizationOps
{
    public static readonly OpDefinition FakeQuantize = new FakeQuantizeOp();
}
