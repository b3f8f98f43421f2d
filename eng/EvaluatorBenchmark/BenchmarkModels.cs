using ModelBuild.Core.Graph;
using static ModelBuild.Benchmarks.OnnxGraphWriter;

namespace ModelBuild.Benchmarks;

/// <summary>A model to time: its .onnx file and the inputs both runtimes get.</summary>
internal sealed record BenchmarkModel(string Name, string Description, string OnnxPath, IReadOnlyDictionary<string, Tensor> Inputs);

/// <summary>
/// The generated benchmark models, written once into the work folder: a ResNet-18 (fp32, 46 MB of
/// weights, as PyTorch exports it with batch norms folded into the convolutions) and a dynamically
/// quantized segmentation network (DynamicQuantizeLinear + ConvInteger before every convolution, as
/// ONNX Runtime's quantize_dynamic writes a conv net). Weights are pseudo-random with fixed seeds.
/// </summary>
internal static class BenchmarkModels
{
    public static BenchmarkModel ResNet18(string workFolder)
    {
        var path = Path.Combine(workFolder, "resnet18", "model.onnx");
        var g = new OnnxGraphWriter("resnet18", opset: 13, seed: 18);
        g.Input("input", ElementType.F32, 1, 3, 224, 224);
        var x = Conv(g, "input", 3, 64, kernel: 7, stride: 2, relu: true);
        x = g.Node("MaxPool", [x], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1));
        var channels = 64L;
        foreach (var (width, stride) in new[] { (64L, 1L), (128L, 2L), (256L, 2L), (512L, 2L) })
        {
            for (var block = 0; block < 2; block++)
            {
                var s = block == 0 ? stride : 1;
                var y = Conv(g, x, channels, width, kernel: 3, stride: s, relu: true);
                y = Conv(g, y, width, width, kernel: 3, stride: 1, relu: false, scale: 0.5);
                var shortcut = s != 1 || channels != width ? Conv(g, x, channels, width, kernel: 1, stride: s, relu: false) : x;
                x = g.Node("Relu", [g.Node("Add", [y, shortcut])]);
                channels = width;
            }
        }

        x = g.Node("Flatten", [g.Node("GlobalAveragePool", [x])]);
        var logits = g.Node("Gemm", [x, g.Floats("fc.weight", [1000, 512], Math.Sqrt(1.0 / 512)), g.Floats("fc.bias", [1000], 0.1)], Int("transB", 1));
        g.Output(logits, ElementType.F32);
        return Save(g, path, "ResNet-18, fp32, 1x3x224x224", "input", RandomInput(seed: 18, 1, 3, 224, 224));
    }

    /// <summary>
    /// An encoder-decoder segmentation network of about 120 ConvInteger on a 1×3×<paramref name="size"/>² image:
    /// a residual encoder at 1/4 to 1/32 resolution, an FPN-like decoder (nearest upsampling, lateral 1×1
    /// convolutions), and a per-pixel head upsampled back to the input size.
    /// </summary>
    public static BenchmarkModel QuantizedSegmentation(string workFolder, int size)
    {
        var path = Path.Combine(workFolder, $"quantized-segmentation-{size}", "model.onnx");
        var g = new OnnxGraphWriter("quantized_segmentation", opset: 13, seed: 120);
        g.Input("image", ElementType.F32, 1, 3, size, size);
        var x = QuantizedConv(g, "image", 3, 16, kernel: 3, stride: 2, relu: true);
        x = QuantizedConv(g, x, 16, 32, kernel: 3, stride: 2, relu: true);
        var channels = 32L;
        var features = new List<(string Value, long Channels)>();
        foreach (var (width, blocks) in new[] { (32L, 6), (64L, 10), (128L, 22), (256L, 14) })
        {
            for (var block = 0; block < blocks; block++)
            {
                var stride = block == 0 && width != channels ? 2 : 1;
                var y = QuantizedConv(g, x, channels, width, kernel: 3, stride: stride, relu: true);
                y = QuantizedConv(g, y, width, width, kernel: 3, stride: 1, relu: false, scale: 0.3);
                var shortcut = stride != 1 ? QuantizedConv(g, x, channels, width, kernel: 1, stride: stride, relu: false) : x;
                x = g.Node("Relu", [g.Node("Add", [y, shortcut])]);
                channels = width;
            }

            features.Add((x, width));
        }

        const long decoderWidth = 64;
        string? top = null;
        for (var level = features.Count - 1; level >= 0; level--)
        {
            var lateral = QuantizedConv(g, features[level].Value, features[level].Channels, decoderWidth, kernel: 1, stride: 1, relu: false);
            top = top is null ? lateral : g.Node("Add", [lateral, Upsample(g, top, 2)]);
        }

        var head = QuantizedConv(g, top!, decoderWidth, decoderWidth, kernel: 3, stride: 1, relu: true);
        var classes = QuantizedConv(g, head, decoderWidth, 8, kernel: 1, stride: 1, relu: false);
        var logits = Upsample(g, classes, 4);
        g.Output(logits, ElementType.F32);
        return Save(g, path, $"{g.Count("ConvInteger")} ConvInteger, 1x3x{size}x{size}", "image", RandomInput(seed: 120, 1, 3, size, size));
    }

    private static BenchmarkModel Save(OnnxGraphWriter g, string path, string description, string inputName, Tensor input)
    {
        if (!File.Exists(path))
        {
            g.Save(path);
        }

        var name = Path.GetFileName(Path.GetDirectoryName(path))!;
        return new BenchmarkModel(name, $"{description}, {g.WeightBytes / 1e6:0.#} MB of weights", path,
            new Dictionary<string, Tensor> { [inputName] = input });
    }

    // Kaiming-uniform weights (scaled down on the last convolution of a residual branch), a small bias.
    private static string Conv(OnnxGraphWriter g, string x, long input, long output, long kernel, long stride, bool relu, double scale = 1)
    {
        var bound = scale * Math.Sqrt(6.0 / (input * kernel * kernel));
        var w = g.Floats($"conv{g.Count("Conv")}.weight", [output, input, kernel, kernel], bound);
        var b = g.Floats($"conv{g.Count("Conv")}.bias", [output], 0.05);
        var pad = kernel / 2;
        var y = g.Node("Conv", [x, w, b], Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad));
        return relu ? g.Node("Relu", [y]) : y;
    }

    // What quantize_dynamic writes for a Conv: the activation quantized on the fly, ConvInteger on u8 data and
    // u8 weights (zero point 128), the i32 result scaled back to f32 and the bias added.
    private static string QuantizedConv(OnnxGraphWriter g, string x, long input, long output, long kernel, long stride, bool relu, double scale = 1)
    {
        var layer = g.Count("ConvInteger");
        var bound = scale * Math.Sqrt(6.0 / (input * kernel * kernel));
        var weights = g.Bytes($"conv{layer}.weight_quantized", [output, input, kernel, kernel], center: 128, spread: 127);
        var weightScale = g.Initializer(Tensor.FromArray([(float)(bound / 127)], []), $"conv{layer}.weight_scale");
        var weightZero = g.Initializer(new Tensor(ElementType.U8, [], new byte[] { 128 }), $"conv{layer}.weight_zero_point");
        var bias = g.Floats($"conv{layer}.bias", [output, 1, 1], 0.05);
        var quantized = g.Node("DynamicQuantizeLinear", [x], outputs: 3);
        var pad = kernel / 2;
        var product = g.Node("ConvInteger", [quantized[0], weights, quantized[2], weightZero],
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad));
        var scaled = g.Node("Mul", [g.Node("Cast", [product], Int("to", 1)), g.Node("Mul", [quantized[1], weightScale])]);
        var y = g.Node("Add", [scaled, bias]);
        return relu ? g.Node("Relu", [y]) : y;
    }

    private static string Upsample(OnnxGraphWriter g, string x, int factor)
    {
        var scales = g.Initializer(Tensor.FromArray([1f, 1f, factor, factor], 4), $"upsample{g.Count("Resize")}.scales");
        return g.Node("Resize", [x, "", scales], String("mode", "nearest"));
    }

    private static Tensor RandomInput(int seed, params long[] shape)
    {
        var random = new Random(seed);
        var values = new float[ShapeMath.ElementCount(shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return Tensor.FromArray(values, shape);
    }
}
