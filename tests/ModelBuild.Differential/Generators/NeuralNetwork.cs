using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Differential.Generators.RandomValues;

namespace ModelBuild.Differential.Generators;

/// <summary>Matrix products, convolutions, pooling, normalizations, softmax and its kin, resize, quantization.</summary>
public static class NeuralNetwork
{
    public static IEnumerable<OpSpec> Specs() =>
    [
        new("MatMul", MatMul, Opset: 13),
        new("Gemm", Gemm, Opset: 13),
        new("Einsum", Einsum, Opset: 12),
        new("Conv", Conv, Opset: 11),
        new("ConvTranspose", ConvTranspose, Opset: 11),
        new("MaxPool", b => Pool(b, "MaxPool"), Opset: 12),
        new("AveragePool", b => Pool(b, "AveragePool"), Opset: 11),
        new("LpPool", b => Pool(b, "LpPool"), Opset: 11),
        new("GlobalAveragePool", b => GlobalPool(b, "GlobalAveragePool")),
        new("GlobalMaxPool", b => GlobalPool(b, "GlobalMaxPool")),
        new("BatchNormalization", BatchNormalization, Opset: 15),
        new("InstanceNormalization", InstanceNormalization),
        new("LayerNormalization", LayerNormalization),
        new("GroupNormalization", GroupNormalization, Opset: 18),
        new("LpNormalization", LpNormalization),
        new("LRN", Lrn, Opset: 13),
        new("MeanVarianceNormalization", MeanVarianceNormalization, Opset: 13),
        new("Softmax", b => SoftmaxLike(b, "Softmax"), Opset: 13),
        new("LogSoftmax", b => SoftmaxLike(b, "LogSoftmax"), Opset: 13),
        new("Hardmax", b => SoftmaxLike(b, "Hardmax"), Opset: 13),
        new("Dropout", Dropout, Opset: 13),
        new("Resize", Resize, Opset: 13),
        new("QuantizeLinear", QuantizeLinear, Opset: 13),
        new("DequantizeLinear", DequantizeLinear, Opset: 13),
        new("If", If, Opset: 13),
    ];

    private static void MatMul(CaseBuilder b)
    {
        var type = b.Random.Pick(ElementType.F32, ElementType.F64, ElementType.I32, ElementType.I64);
        var (m, k, n) = (b.Random.Next(1, 5), b.Random.Next(0, 5), b.Random.Next(1, 5));
        var batch = b.Random.Shape(b.Random.Next(0, 3));
        var leftBatch = b.Random.BroadcastPartner(batch);
        // Rank 1 operands: a vector is a row on the left and a column on the right.
        long[] left = b.Random.Chance(0.15) ? [k] : [.. leftBatch, m, k];
        long[] right = b.Random.Chance(0.15) ? [k] : [.. batch, k, n];
        var a = b.Input(type.IsFloatingPoint() ? b.Random.Floats(type, left, -1, 1) : b.Random.Integers(type, left, -4, 4));
        var c = b.Input(type.IsFloatingPoint() ? b.Random.Floats(type, right, -1, 1) : b.Random.Integers(type, right, -4, 4));
        b.Output(Elementwise.Chain(b, b.Node1("MatMul", b.Random.Chance(0.5) ? [a, c] : [a, b.Constant(Tensor.FromDoubles(type, b.Random.Floats(ElementType.F64, right).ToDoubleArray().Select(v => Math.Round(v)).ToArray(), right))], type)));
    }

    private static void Gemm(CaseBuilder b)
    {
        var (m, k, n) = (b.Random.Next(1, 5), b.Random.Next(1, 5), b.Random.Next(1, 5));
        var (transA, transB) = (b.Random.Next(2), b.Random.Next(2));
        var a = b.Input(b.Random.Floats(ElementType.F32, transA == 1 ? [k, m] : [m, k]));
        var w = b.Random.Floats(ElementType.F32, transB == 1 ? [n, k] : [k, n]);
        var inputs = new List<string> { a, b.Random.Chance(0.5) ? b.Constant(w) : b.Input(w) };
        if (b.Random.Chance(0.7))
        {
            long[] c = b.Random.Pick<long[]>([m, n], [n], [1, n], [m, 1], [], [1]);
            inputs.Add(b.Constant(b.Random.Floats(ElementType.F32, c)));
        }

        var attributes = new List<AttributeProto> { OnnxAttributes.Int("transA", transA), OnnxAttributes.Int("transB", transB) };
        if (b.Random.Chance(0.5))
        {
            attributes.Add(OnnxAttributes.Float("alpha", b.Random.Pick(0.5f, 2f, -1f)));
            attributes.Add(OnnxAttributes.Float("beta", b.Random.Pick(0.5f, 0f, 3f)));
        }

        b.Output(b.Node1("Gemm", [.. inputs], ElementType.F32, [.. attributes]));
    }

    private static void Einsum(CaseBuilder b)
    {
        var (i, j, k, batch) = (b.Random.Next(1, 4), b.Random.Next(1, 4), b.Random.Next(1, 4), b.Random.Next(1, 3));
        var (equation, shapes) = b.Random.Next(7) switch
        {
            0 => ("ij,jk->ik", new long[][] { [i, j], [j, k] }),
            1 => ("bij,bjk->bik", [[batch, i, j], [batch, j, k]]),
            2 => ("ij->ji", [[i, j]]),
            3 => ("ij->", [[i, j]]),
            4 => ("i,i->", [[i], [i]]),
            5 => ("ij,j->i", [[i, j], [j]]),
            _ => ("bij->bj", [[batch, i, j]]),
        };
        var inputs = shapes.Select(s => b.Input(b.Random.Floats(ElementType.F32, s, -1, 1))).ToArray();
        b.Output(b.Node1("Einsum", inputs, ElementType.F32, OnnxAttributes.String("equation", equation)));
    }

    /// <summary>Spatial sizes that fit a window: each at least the dilated kernel when no padding helps.</summary>
    private static (long[] Kernel, long[] Strides, long[] Dilations, long[] Spatial) Window(CaseBuilder b, int spatialRank, bool dilate)
    {
        var kernel = Enumerable.Range(0, spatialRank).Select(_ => b.Random.NextInt64(1, 4)).ToArray();
        var strides = kernel.Select(_ => b.Random.NextInt64(1, 3)).ToArray();
        var dilations = kernel.Select(_ => dilate && b.Random.Chance(0.3) ? 2L : 1L).ToArray();
        var spatial = kernel.Select((kd, d) => ((kd - 1) * dilations[d]) + 1 + b.Random.NextInt64(0, 4)).ToArray();
        return (kernel, strides, dilations, spatial);
    }

    private static AttributeProto[] Padding(CaseBuilder b, long[] kernel, List<AttributeProto> attributes, bool allowSame = true)
    {
        // ONNX Runtime refuses SAME padding with dilations.
        if (allowSame && b.Random.Chance(0.3) && attributes.All(a => a.Name != "dilations" || a.Ints.All(d => d == 1)))
        {
            attributes.Add(OnnxAttributes.String("auto_pad", b.Random.Pick("SAME_UPPER", "SAME_LOWER", "VALID")));
        }
        else if (b.Random.Chance(0.6))
        {
            // A pad smaller than the kernel: a window never lies wholly in padding.
            attributes.Add(OnnxAttributes.Ints("pads", [.. kernel.Select(k => b.Random.NextInt64(0, k)), .. kernel.Select(k => b.Random.NextInt64(0, k))]));
        }

        return [.. attributes];
    }

    private static void Conv(CaseBuilder b)
    {
        var spatialRank = b.Random.Pick(1, 2, 2, 3);
        var (kernel, strides, dilations, spatial) = Window(b, spatialRank, dilate: true);
        var group = b.Random.Pick(1, 1, 2);
        var (inChannels, outChannels) = (group * b.Random.Next(1, 3), group * b.Random.Next(1, 3));
        var x = b.Input(b.Random.Floats(ElementType.F32, [b.Random.Next(1, 3), inChannels, .. spatial], -1, 1));
        var inputs = new List<string> { x, b.Constant(b.Random.Floats(ElementType.F32, [outChannels, inChannels / group, .. kernel], -1, 1)) };
        if (b.Random.Chance(0.5))
        {
            inputs.Add(b.Constant(b.Random.Floats(ElementType.F32, [outChannels], -1, 1)));
        }

        var attributes = new List<AttributeProto> { OnnxAttributes.Ints("strides", strides), OnnxAttributes.Ints("dilations", dilations), OnnxAttributes.Int("group", group) };
        if (b.Random.Chance(0.7))
        {
            attributes.Add(OnnxAttributes.Ints("kernel_shape", kernel));
        }

        b.Output(Elementwise.Chain(b, b.Node1("Conv", [.. inputs], ElementType.F32, Padding(b, kernel, attributes))));
    }

    private static void ConvTranspose(CaseBuilder b)
    {
        var spatialRank = b.Random.Pick(1, 2, 2);
        var (kernel, strides, dilations, _) = Window(b, spatialRank, dilate: true);
        var spatial = kernel.Select(_ => b.Random.NextInt64(1, 4)).ToArray();
        var group = b.Random.Pick(1, 1, 2);
        var (inChannels, outChannels) = (group * b.Random.Next(1, 3), group * b.Random.Next(1, 3));
        var x = b.Input(b.Random.Floats(ElementType.F32, [b.Random.Next(1, 3), inChannels, .. spatial], -1, 1));
        var inputs = new List<string> { x, b.Constant(b.Random.Floats(ElementType.F32, [inChannels, outChannels / group, .. kernel], -1, 1)) };
        if (b.Random.Chance(0.5))
        {
            inputs.Add(b.Constant(b.Random.Floats(ElementType.F32, [outChannels], -1, 1)));
        }

        var attributes = new List<AttributeProto> { OnnxAttributes.Ints("strides", strides), OnnxAttributes.Ints("dilations", dilations), OnnxAttributes.Int("group", group) };
        if (b.Random.Chance(0.3))
        {
            // Output padding is smaller than the stride (or the dilation).
            attributes.Add(OnnxAttributes.Ints("output_padding", strides.Select((s, d) => b.Random.NextInt64(0, Math.Max(s, dilations[d]))).ToArray()));
        }

        // Pads shrink the output; at most the kernel's reach less one on both sides together keeps every dim positive.
        var padded = Padding(b, kernel, attributes, allowSame: false);
        if (padded.FirstOrDefault(a => a.Name == "pads") is { } pads && kernel.Where((k, d) => pads.Ints[d] + pads.Ints[d + kernel.Length] >= (strides[d] * (spatial[d] - 1)) + ((k - 1) * dilations[d]) + 1).Any())
        {
            padded = [.. padded.Where(a => a.Name != "pads")];
        }

        b.Output(b.Node1("ConvTranspose", [.. inputs], ElementType.F32, padded));
    }

    private static void Pool(CaseBuilder b, string op)
    {
        var spatialRank = b.Random.Pick(1, 2, 2, 3);
        var (kernel, strides, dilations, spatial) = Window(b, spatialRank, dilate: op == "MaxPool");
        var x = b.Input(b.Random.Floats(ElementType.F32, [b.Random.Next(1, 3), b.Random.Next(1, 3), .. spatial], -1, 1));
        var attributes = new List<AttributeProto> { OnnxAttributes.Ints("kernel_shape", kernel), OnnxAttributes.Ints("strides", strides) };
        switch (op)
        {
            case "MaxPool":
                attributes.Add(OnnxAttributes.Ints("dilations", dilations));
                attributes.Add(OnnxAttributes.Int("ceil_mode", b.Random.Next(2)));
                break;
            case "AveragePool":
                attributes.Add(OnnxAttributes.Int("count_include_pad", b.Random.Next(2)));
                attributes.Add(OnnxAttributes.Int("ceil_mode", b.Random.Next(2)));
                break;
            default:
                attributes.Add(OnnxAttributes.Int("p", b.Random.Next(1, 4)));
                break;
        }

        b.Output(b.Node1(op, [x], ElementType.F32, Padding(b, kernel, attributes)));
    }

    private static void GlobalPool(CaseBuilder b, string op)
    {
        var x = b.Input(b.Random.Floats(ElementType.F32, b.Random.AnyShape(minRank: 3, maxRank: 5)));
        b.Output(b.Node1(op, [x], ElementType.F32));
    }

    private static void BatchNormalization(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 2, maxRank: 5);
        var channels = shape[1];
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        string[] inputs =
        [
            x, b.Constant(b.Random.Floats(ElementType.F32, [channels])), b.Constant(b.Random.Floats(ElementType.F32, [channels])),
            b.Constant(b.Random.Floats(ElementType.F32, [channels])), b.Constant(b.Random.Floats(ElementType.F32, [channels], 0.1, 2)),
        ];
        b.Output(b.Node1("BatchNormalization", inputs, ElementType.F32, OnnxAttributes.Float("epsilon", b.Random.Pick(1e-5f, 0.01f))));
    }

    private static void InstanceNormalization(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 3, maxRank: 5);
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        string[] inputs = [x, b.Constant(b.Random.Floats(ElementType.F32, [shape[1]])), b.Constant(b.Random.Floats(ElementType.F32, [shape[1]]))];
        b.Output(b.Node1("InstanceNormalization", inputs, ElementType.F32, OnnxAttributes.Float("epsilon", b.Random.Pick(1e-5f, 0.01f))));
    }

    private static void LayerNormalization(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var axis = b.Random.Axis(shape.Length);
        var normalized = shape[(int)Normalize(axis, shape.Length)..];
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        var inputs = new List<string> { x, b.Constant(b.Random.Floats(ElementType.F32, normalized)) };
        if (b.Random.Chance(0.6))
        {
            inputs.Add(b.Constant(b.Random.Floats(ElementType.F32, normalized)));
        }

        b.Output(b.Node1("LayerNormalization", [.. inputs], ElementType.F32, OnnxAttributes.Int("axis", axis), OnnxAttributes.Float("epsilon", b.Random.Pick(1e-5f, 0.01f))));
    }

    private static void GroupNormalization(CaseBuilder b)
    {
        var groups = b.Random.Next(1, 4);
        long[] shape = [b.Random.Next(1, 3), groups * b.Random.Next(1, 3), .. b.Random.Shape(b.Random.Next(1, 3))];
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        string[] inputs = [x, b.Constant(b.Random.Floats(ElementType.F32, [groups])), b.Constant(b.Random.Floats(ElementType.F32, [groups]))];
        b.Output(b.Node1("GroupNormalization", inputs, ElementType.F32, OnnxAttributes.Int("num_groups", groups), OnnxAttributes.Float("epsilon", b.Random.Pick(1e-5f, 0.01f))));
    }

    private static void LpNormalization(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var x = b.Input(b.Random.NonZeroFloats(ElementType.F32, shape));
        b.Output(b.Node1("LpNormalization", [x], ElementType.F32, OnnxAttributes.Int("axis", b.Random.Axis(shape.Length)), OnnxAttributes.Int("p", b.Random.Next(1, 3))));
    }

    private static void Lrn(CaseBuilder b)
    {
        // ONNX Runtime's LRN takes 4-D inputs only.
        var x = b.Input(b.Random.Floats(ElementType.F32, b.Random.Shape(4)));
        b.Output(b.Node1("LRN", [x], ElementType.F32, OnnxAttributes.Int("size", b.Random.Pick(1, 3, 5)),
            OnnxAttributes.Float("alpha", b.Random.Pick(1e-4f, 0.5f)), OnnxAttributes.Float("beta", b.Random.Pick(0.75f, 0.5f)), OnnxAttributes.Float("bias", b.Random.Pick(1f, 2f))));
    }

    private static void MeanVarianceNormalization(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        AttributeProto[] attributes = shape.Length == 4 && b.Random.Chance(0.3) ? [] : [OnnxAttributes.Ints("axes", b.Random.Axes(shape.Length))];
        b.Output(b.Node1("MeanVarianceNormalization", [x], ElementType.F32, attributes));
    }

    private static void SoftmaxLike(CaseBuilder b, string op)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 5, allowEmpty: true);
        var x = b.Input(op == "Hardmax" ? b.Random.Halves(ElementType.F32, shape) : b.Random.Floats(ElementType.F32, shape, -4, 4));
        b.Output(Elementwise.Chain(b, b.Node1(op, [x], ElementType.F32, b.Random.Chance(0.2) ? [] : [OnnxAttributes.Int("axis", b.Random.Axis(shape.Length))])));
    }

    private static void Dropout(CaseBuilder b)
    {
        var x = b.Input(b.Random.Floats(ElementType.F32, b.Random.AnyShape(allowEmpty: true)));
        // Inference: the ratio given or not, training_mode false, the output is the input.
        var inputs = b.Random.Chance(0.5) ? new[] { x, b.Constant(Tensor.Scalar(ElementType.F32, 0.5)) } : [x];
        b.Output(b.Node1("Dropout", inputs, ElementType.F32));
    }

    private static void Resize(CaseBuilder b)
    {
        var mode = b.Random.Pick("nearest", "linear", "cubic");
        var spatialRank = mode == "nearest" ? b.Random.Pick(1, 2, 3) : 2;
        long[] shape = [b.Random.Next(1, 3), b.Random.Next(1, 3), .. b.Random.Shape(spatialRank, minDim: 1, maxDim: 4)];
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        var transform = b.Random.Pick("half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel");
        var attributes = new List<AttributeProto> { OnnxAttributes.String("mode", mode), OnnxAttributes.String("coordinate_transformation_mode", transform) };
        if (mode == "nearest")
        {
            attributes.Add(OnnxAttributes.String("nearest_mode", b.Random.Pick("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")));
        }

        if (mode == "cubic" && b.Random.Chance(0.5))
        {
            attributes.Add(OnnxAttributes.Float("cubic_coeff_a", -0.5f));
            attributes.Add(OnnxAttributes.Int("exclude_outside", b.Random.Next(2)));
        }

        var roi = b.Constant(Tensor.FromArray(Array.Empty<float>(), 0));
        if (b.Random.Chance(0.5))
        {
            var scales = shape.Select((_, d) => d < 2 ? 1f : b.Random.Pick(0.5f, 0.75f, 1f, 1.5f, 2f, 3f)).ToArray();
            b.Note(FormattableString.Invariant($"scales=[{string.Join(",", scales)}]"));
            b.Output(b.Node1("Resize", [x, roi, b.Constant(Tensor.FromArray(scales, scales.Length))], ElementType.F32, [.. attributes]));
        }
        else
        {
            var sizes = shape.Select((d, i) => i < 2 ? d : b.Random.NextInt64(1, 7)).ToArray();
            b.Note($"sizes={ShapeMath.Format(sizes)}");
            b.Output(b.Node1("Resize", [x, roi, "", b.Constant(Int64s(sizes))], ElementType.F32, [.. attributes]));
        }
    }

    private static void QuantizeLinear(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var x = b.Input(b.Random.Floats(ElementType.F32, shape, -3, 3));
        var type = b.Random.Pick(ElementType.U8, ElementType.I8);
        var (scale, zero, attributes) = QuantizationParameters(b, shape, type);
        b.Output(b.Node1("QuantizeLinear", [x, scale, zero], type, attributes));
    }

    private static void DequantizeLinear(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(minRank: 1, maxRank: 4);
        var type = b.Random.Pick(ElementType.U8, ElementType.I8, ElementType.I32);
        var x = b.Input(b.Random.Integers(type, shape, type == ElementType.U8 ? 0 : -128, type == ElementType.U8 ? 255 : 127));
        var (scale, zero, attributes) = QuantizationParameters(b, shape, type);
        b.Output(b.Node1("DequantizeLinear", type == ElementType.I32 ? [x, scale] : [x, scale, zero], ElementType.F32, attributes));
    }

    /// <summary>Per-tensor (scalars) or per-axis (vectors along a random axis) scale and zero point.</summary>
    private static (string Scale, string Zero, AttributeProto[] Attributes) QuantizationParameters(CaseBuilder b, long[] shape, ElementType type)
    {
        var perAxis = b.Random.Chance(0.5);
        var axis = b.Random.Axis(shape.Length);
        long[] parameterShape = perAxis ? [shape[Normalize(axis, shape.Length)]] : [];
        var scale = b.Constant(b.Random.Floats(ElementType.F32, parameterShape, 0.01, 0.2));
        var zero = b.Constant(b.Random.Integers(type, parameterShape, type == ElementType.U8 ? 0 : -20, type == ElementType.U8 ? 255 : 20));
        return (scale, zero, perAxis ? [OnnxAttributes.Int("axis", axis)] : []);
    }

    /// <summary>If on a runtime condition of one element, scalar or not ([1], [1,1]: both runtimes take its only value).</summary>
    private static void If(CaseBuilder b)
    {
        var shape = b.Random.AnyShape(maxRank: 4);
        var x = b.Input(b.Random.Floats(ElementType.F32, shape));
        long[] conditionShape = b.Random.Pick<long[]>([], [1], [1, 1]);
        var condition = b.Input(b.Random.Booleans(conditionShape));
        var attributes = new[]
        {
            GraphAttribute("then_branch", Branch("then", x, b.Random.Pick("Relu", "Neg", "Exp"))),
            GraphAttribute("else_branch", Branch("else", x, b.Random.Pick("Abs", "Sigmoid", "Tanh"))),
        };
        b.Output(b.Node1("If", [condition], ElementType.F32, attributes));
    }

    private static AttributeProto GraphAttribute(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    private static GraphProto Branch(string name, string outerInput, string op)
    {
        var graph = new GraphProto { Name = name };
        var node = new NodeProto { OpType = op, Name = $"{name}_{op}" };
        node.Input.Add(outerInput);
        node.Output.Add($"{name}_out");
        graph.Node.Add(node);
        graph.Output.Add(new ValueInfoProto { Name = $"{name}_out", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(ElementType.F32) } } });
        return graph;
    }
}
