using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Testing;

/// <summary>A generated QDQ model, its inputs, and what its conversion must show.</summary>
/// <param name="QuantizedActivations">QuantizeLinear nodes: one FakeQuantize each is expected.</param>
/// <param name="WeightType">The integer type of the constant weights, or null for ops without weights.</param>
/// <param name="OutputStep">The largest scale of the output's quantization: the agreement bar with ONNX Runtime.</param>
/// <param name="OutputLevels">The number of levels of the output's quantization type.</param>
public sealed record QdqModel(string Name, OnnxGraphBuilder Onnx, IReadOnlyList<(string Name, Tensor Value)> Inputs,
    int QuantizedActivations, ElementType? WeightType, double OutputStep, double OutputLevels)
{
    /// <summary>
    /// <paramref name="actual"/> against ONNX Runtime's output on the model's inputs: within one step of the output's
    /// quantization (FakeQuantize rounds ties with an odd zero point, and values within f32 rounding of a tie, one level
    /// away from ONNX's formula), plus f32 rounding: OpenVINO may fold quantize → dequantize into one FakeQuantize whose
    /// f32 arithmetic over the output range of <paramref name="OutputLevels"/> steps is off by up to that many f32
    /// epsilons of a step (0.8% of a step at 16 bits).
    /// </summary>
    public ComparisonResult CompareWithOnnxRuntime(Tensor actual) =>
        TensorComparison.Compare(actual, OnnxRuntimeReference.Run(Onnx, Inputs)[0], relativeTolerance: 1e-6,
            absoluteTolerance: OutputStep * (1 + (OutputLevels * Math.Pow(2, -23))));

    public override string ToString() => Name;
}

/// <summary>
/// QDQ models as ONNX Runtime's static quantization writes them (opset 21): every activation goes through
/// QuantizeLinear → DequantizeLinear, weights are integer initializers behind a DequantizeLinear (per tensor, or per
/// output channel), biases are i32 dequantized with scale x_scale · w_scale. Conv, MatMul, Gemm, Add and Concat, per
/// tensor and per axis, for the 8-bit, 16-bit and 4-bit types. Values are seeded, so each model is the same every run.
/// </summary>
public static class QdqModels
{
    private const long Opset = 21;

    // Activation type, weight type.
    private static readonly (ElementType Activations, ElementType Weights)[] TypePairs =
        [(ElementType.U8, ElementType.I8), (ElementType.I8, ElementType.U8), (ElementType.U16, ElementType.I16), (ElementType.I16, ElementType.I4)];

    private static readonly string[] Ops = ["Conv", "MatMul", "Gemm", "Add", "Concat"];

    /// <summary>The names of all models: op, granularity, activation and weight types (e.g. conv_per_axis_u8_i8).</summary>
    public static IEnumerable<string> Names() =>
        from op in Ops
        from perAxis in new[] { false, true }
        from pair in TypePairs
        select Name(op, perAxis, pair.Activations, pair.Weights);

    public static QdqModel Create(string name)
    {
        foreach (var op in Ops)
        {
            foreach (var perAxis in new[] { false, true })
            {
                foreach (var (activations, weights) in TypePairs)
                {
                    if (Name(op, perAxis, activations, weights) == name)
                    {
                        return new Generator(name, activations, weights, perAxis).Build(op);
                    }
                }
            }
        }

        throw new ArgumentException($"no QDQ model is named '{name}'", nameof(name));
    }

    private static string Name(string op, bool perAxis, ElementType activations, ElementType weights) =>
        $"{op.ToLowerInvariant()}_{(perAxis ? "per_axis" : "per_tensor")}_{activations.IrName()}_{weights.IrName()}";

    private sealed class Generator(string name, ElementType activations, ElementType weights, bool perAxis)
    {
        private readonly OnnxGraphBuilder _onnx = new(Opset, name);
        private readonly Random _random = new(name.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)));
        private readonly List<(string, Tensor)> _inputs = [];
        private int _quantizers;
        private double _outputStep;

        public QdqModel Build(string op)
        {
            var hasWeights = op is "Conv" or "MatMul" or "Gemm";
            switch (op)
            {
                case "Conv":
                    Conv();
                    break;
                case "MatMul":
                    MatMul(transposed: false);
                    break;
                case "Gemm":
                    MatMul(transposed: true);
                    break;
                case "Add":
                    Binary("Add", [4, 4, 3, 3], [4, 4, 3, 3], [4, 4, 3, 3], bound: 4);
                    break;
                default:
                    Binary("Concat", [1, 4, 3, 3], [1, 2, 3, 3], [1, 6, 3, 3], bound: 2);
                    break;
            }

            var (lowest, highest) = Bounds(activations);
            return new QdqModel(name, _onnx, _inputs, _quantizers, hasWeights ? weights : null, _outputStep, highest - lowest + 1);
        }

        // y = Conv(x, w) + b, weights per output channel when per axis.
        private void Conv()
        {
            var x = QuantizedInput("x", [2, 3, 6, 6], axis: null);
            var xScale = Step(activations, bound: 2);
            var (w, wScales) = Weights("w", [4, 3, 3, 3], axis: 0);
            var bias = Bias("b", xScale, wScales);
            _onnx.Node("Conv", [x, w, bias], ["conv"], Ints("pads", 1, 1, 1, 1), Ints("strides", 2, 2));
            QuantizedOutput("conv", [2, 4, 3, 3], bound: 4, axis: null);
        }

        // y = x · w (MatMul) or x · wᵀ + b (Gemm), weights per output column.
        private void MatMul(bool transposed)
        {
            var x = QuantizedInput("x", [3, 5], axis: null);
            var (w, wScales) = transposed ? Weights("w", [4, 5], axis: 0) : Weights("w", [5, 4], axis: 1);
            if (transposed)
            {
                var bias = Bias("b", Step(activations, bound: 2), wScales);
                _onnx.Node("Gemm", [x, w, bias], ["product"], Int("transB", 1));
            }
            else
            {
                _onnx.Node("MatMul", [x, w], ["product"]);
            }

            QuantizedOutput("product", [3, 4], bound: 2.5, axis: null);
        }

        // Two quantized activations into Add or Concat (axis 1), per channel when per axis.
        private void Binary(string op, long[] left, long[] right, long[] output, double bound)
        {
            var a = QuantizedInput("a", left, axis: perAxis ? 1 : null);
            var b = QuantizedInput("b", right, axis: perAxis ? 1 : null);
            _onnx.Node(op, [a, b], ["combined"], op == "Concat" ? [Int("axis", 1)] : []);
            QuantizedOutput("combined", output, bound, axis: perAxis ? 1 : null);
        }

        // A graph input in [-2, 2) through QuantizeLinear → DequantizeLinear; the dequantized name.
        private string QuantizedInput(string input, long[] shape, int? axis)
        {
            _onnx.Input(input, ElementType.F32, shape);
            var values = Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)(_random.NextDouble() * 4 - 2)).ToArray();
            _inputs.Add((input, Tensor.FromArray(values, shape)));
            return QuantizeDequantize(input, shape, bound: 2, axis);
        }

        private void QuantizedOutput(string value, long[] shape, double bound, int? axis)
        {
            var dequantized = QuantizeDequantize(value, shape, bound, axis);
            _onnx.Node("Identity", [dequantized], ["y"]);
            _onnx.Output("y", ElementType.F32, shape);
        }

        // Q → DQ with a scale covering [-bound, bound] (per channel slightly wider) and an off-centre zero point.
        private string QuantizeDequantize(string value, long[] shape, double bound, int? axis)
        {
            var channels = axis is { } a ? shape[a] : 1;
            var scales = Enumerable.Range(0, (int)channels).Select(c => (float)(Step(activations, bound) * (1 + (0.25 * c)))).ToArray();
            var (lowest, highest) = Bounds(activations);
            var zeroPoints = Enumerable.Range(0, (int)channels).Select(c => Math.Round(((lowest + highest) / 2) + 3 - c)).ToArray();
            long[] parameterShape = axis is null ? [] : [channels];
            var id = _quantizers++;
            _onnx.Initializer($"q{id}_scale", Tensor.FromArray(scales, parameterShape))
                .Initializer($"q{id}_zero_point", Tensor.FromDoubles(activations, zeroPoints, parameterShape));
            var axisAttribute = axis is { } perAxisAxis ? new[] { Int("axis", perAxisAxis) } : [];
            _onnx.Node("QuantizeLinear", [value, $"q{id}_scale", $"q{id}_zero_point"], [$"q{id}"], axisAttribute)
                .Node("DequantizeLinear", [$"q{id}", $"q{id}_scale", $"q{id}_zero_point"], [$"dq{id}"], axisAttribute);
            _outputStep = scales.Max();
            return $"dq{id}";
        }

        // Weights in [-0.5, 0.5) quantized to the weight type (per tensor, or per channel along axis), then dequantized.
        private (string Name, float[] Scales) Weights(string weight, long[] shape, int axis)
        {
            var channels = perAxis ? shape[axis] : 1;
            var (lowest, highest) = Bounds(weights);
            var zeroPoint = Math.Round((lowest + highest) / 2);
            var halfRange = Math.Min(highest - zeroPoint, zeroPoint - lowest);
            var scales = Enumerable.Range(0, (int)channels).Select(c => (float)(0.5 * (1 + (0.5 * c)) / halfRange)).ToArray();
            var strides = ShapeMath.Strides(shape);
            var values = new double[ShapeMath.ElementCount(shape)];
            for (var i = 0; i < values.Length; i++)
            {
                var channel = perAxis ? i / strides[axis] % shape[axis] : 0;
                values[i] = Math.Clamp(Math.Round((_random.NextDouble() - 0.5) * (1 + (0.5 * channel)) / scales[channel]) + zeroPoint, lowest, highest);
            }

            long[] parameterShape = perAxis ? [channels] : [];
            _onnx.Initializer($"{weight}_quantized", Tensor.FromDoubles(weights, values, shape))
                .Initializer($"{weight}_scale", Tensor.FromArray(scales, parameterShape))
                .Initializer($"{weight}_zero_point", Tensor.FromDoubles(weights, Enumerable.Repeat(zeroPoint, (int)channels).ToArray(), parameterShape))
                .Node("DequantizeLinear", [$"{weight}_quantized", $"{weight}_scale", $"{weight}_zero_point"], [weight], perAxis ? [Int("axis", axis)] : []);
            return (weight, scales);
        }

        // An i32 bias in units of x_scale · w_scale (per output channel), dequantized.
        private string Bias(string bias, double xScale, float[] wScales)
        {
            var scales = wScales.Select(s => (float)(xScale * s)).ToArray();
            var outputs = perAxis ? wScales.Length : 4;
            var values = Enumerable.Range(0, outputs).Select(c => (int)Math.Round((_random.NextDouble() - 0.5) / scales[perAxis ? c : 0])).ToArray();
            _onnx.Initializer($"{bias}_quantized", Tensor.FromArray(values, outputs))
                .Initializer($"{bias}_scale", Tensor.FromArray(scales, perAxis ? [scales.Length] : []))
                .Node("DequantizeLinear", [$"{bias}_quantized", $"{bias}_scale"], [bias], perAxis ? [Int("axis", 0)] : []);
            return bias;
        }

        // The step that spreads [-bound, bound] over the type's levels.
        private static double Step(ElementType type, double bound)
        {
            var (lowest, highest) = Bounds(type);
            return 2 * bound / (highest - lowest);
        }

        private static (double Lowest, double Highest) Bounds(ElementType type) => type switch
        {
            ElementType.U8 => (byte.MinValue, byte.MaxValue),
            ElementType.I8 => (sbyte.MinValue, sbyte.MaxValue),
            ElementType.U16 => (ushort.MinValue, ushort.MaxValue),
            ElementType.I16 => (short.MinValue, short.MaxValue),
            ElementType.I4 => (-8, 7),
            ElementType.U4 => (0, 15),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a quantized type"),
        };
    }
}
