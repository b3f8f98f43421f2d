using ModelBuild.Core.Frontends.Onnx.Translators;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>Translates one ONNX node into OpenVINO ops; returns one output per ONNX output, in order.</summary>
public delegate IReadOnlyList<Output> OnnxTranslator(OnnxNodeContext context);

/// <summary>One row of the table: an ONNX op in a domain, the opsets it covers, and its translator.</summary>
public sealed record OnnxOpEntry(string Domain, string OpType, int FirstOpset, int LastOpset, OnnxTranslator Translator);

/// <summary>
/// Every ONNX op ModelBuild converts, looked up by (domain, op type, opset). To find how an op is
/// translated, find its row here: the translator named in it lives in Translators/, one file per family
/// (a folder for Resize). An op whose translation changes with the opset has one row per opset range,
/// each with its own translator named after the first opset of the range (PadV1, PadV2, PadV11, PadV18).
/// </summary>
public static class OnnxOpTable
{
    /// <summary>The newest default-domain opset ModelBuild knows.</summary>
    public const int NewestDefaultOpset = 21;

    private const int Latest = int.MaxValue;
    private const string Ai = OnnxDomains.Default;

    private static readonly Lazy<Dictionary<(string, string), OnnxOpEntry[]>> Index = new(BuildIndex);

    public static IReadOnlyList<OnnxOpEntry> Entries { get; } =
    [
        // ---- Element-wise arithmetic, comparison and logic (ElementwiseTranslators.cs) ----
        new(Ai, "Add", 1, 6, ElementwiseTranslators.AddV1),
        new(Ai, "Add", 7, Latest, ElementwiseTranslators.AddV7),
        new(Ai, "Sub", 1, 6, ElementwiseTranslators.SubV1),
        new(Ai, "Sub", 7, Latest, ElementwiseTranslators.SubV7),
        new(Ai, "Mul", 1, 6, ElementwiseTranslators.MulV1),
        new(Ai, "Mul", 7, Latest, ElementwiseTranslators.MulV7),
        new(Ai, "Div", 1, 6, ElementwiseTranslators.DivV1),
        new(Ai, "Div", 7, Latest, ElementwiseTranslators.DivV7),
        new(Ai, "Pow", 1, 6, ElementwiseTranslators.PowV1),
        new(Ai, "Pow", 7, Latest, ElementwiseTranslators.PowV7),
        new(Ai, "Mod", 10, Latest, ElementwiseTranslators.Mod),
        new(Ai, "Equal", 1, 6, ElementwiseTranslators.EqualV1),
        new(Ai, "Equal", 7, Latest, ElementwiseTranslators.EqualV7),
        new(Ai, "Less", 1, 6, ElementwiseTranslators.LessV1),
        new(Ai, "Less", 7, Latest, ElementwiseTranslators.LessV7),
        new(Ai, "LessOrEqual", 12, Latest, ElementwiseTranslators.LessOrEqual),
        new(Ai, "Greater", 1, 6, ElementwiseTranslators.GreaterV1),
        new(Ai, "Greater", 7, Latest, ElementwiseTranslators.GreaterV7),
        new(Ai, "GreaterOrEqual", 12, Latest, ElementwiseTranslators.GreaterOrEqual),
        new(Ai, "And", 1, 6, ElementwiseTranslators.AndV1),
        new(Ai, "And", 7, Latest, ElementwiseTranslators.AndV7),
        new(Ai, "Or", 1, 6, ElementwiseTranslators.OrV1),
        new(Ai, "Or", 7, Latest, ElementwiseTranslators.OrV7),
        new(Ai, "Xor", 1, 6, ElementwiseTranslators.XorV1),
        new(Ai, "Xor", 7, Latest, ElementwiseTranslators.XorV7),
        new(Ai, "Not", 1, Latest, ElementwiseTranslators.Not),
        new(Ai, "Sum", 1, Latest, ElementwiseTranslators.Sum),
        new(Ai, "Mean", 1, Latest, ElementwiseTranslators.Mean),
        new(Ai, "Max", 1, Latest, ElementwiseTranslators.Max),
        new(Ai, "Min", 1, Latest, ElementwiseTranslators.Min),

        // ---- Unary math (MathTranslators.cs) ----
        new(Ai, "Abs", 1, Latest, MathTranslators.Unary(ArithmeticOps.Abs)),
        new(Ai, "Neg", 1, Latest, MathTranslators.Unary(ArithmeticOps.Negative)),
        new(Ai, "Sign", 9, Latest, MathTranslators.Unary(ArithmeticOps.Sign)),
        new(Ai, "Floor", 1, Latest, MathTranslators.Unary(ArithmeticOps.Floor)),
        new(Ai, "Ceil", 1, Latest, MathTranslators.Unary(ArithmeticOps.Ceiling)),
        new(Ai, "Round", 11, Latest, MathTranslators.Round),
        new(Ai, "Exp", 1, Latest, MathTranslators.Unary(ActivationOps.Exp)),
        new(Ai, "Log", 1, Latest, MathTranslators.Unary(ArithmeticOps.Log)),
        new(Ai, "Sqrt", 1, Latest, MathTranslators.Unary(ArithmeticOps.Sqrt)),
        new(Ai, "Reciprocal", 1, Latest, MathTranslators.Reciprocal),
        new(Ai, "Sin", 7, Latest, MathTranslators.Unary(ArithmeticOps.Sin)),
        new(Ai, "Cos", 7, Latest, MathTranslators.Unary(ArithmeticOps.Cos)),
        new(Ai, "Tan", 7, Latest, MathTranslators.Unary(ArithmeticOps.Tan)),
        new(Ai, "Asin", 7, Latest, MathTranslators.Unary(ArithmeticOps.Asin)),
        new(Ai, "Acos", 7, Latest, MathTranslators.Unary(ArithmeticOps.Acos)),
        new(Ai, "Atan", 7, Latest, MathTranslators.Unary(ArithmeticOps.Atan)),
        new(Ai, "Sinh", 9, Latest, MathTranslators.Unary(ArithmeticOps.Sinh)),
        new(Ai, "Cosh", 9, Latest, MathTranslators.Unary(ArithmeticOps.Cosh)),
        new(Ai, "Asinh", 9, Latest, MathTranslators.Unary(ArithmeticOps.Asinh)),
        new(Ai, "Acosh", 9, Latest, MathTranslators.Unary(ArithmeticOps.Acosh)),
        new(Ai, "Atanh", 9, Latest, MathTranslators.Unary(ArithmeticOps.Atanh)),
        new(Ai, "Erf", 9, Latest, MathTranslators.Unary(ArithmeticOps.Erf)),
        new(Ai, "IsNaN", 9, Latest, MathTranslators.Unary(ComparisonOps.IsNaN)),
        new(Ai, "IsInf", 10, Latest, MathTranslators.IsInf),

        // ---- Activations (ActivationTranslators.cs) ----
        new(Ai, "Relu", 1, Latest, MathTranslators.Unary(ActivationOps.Relu)),
        new(Ai, "Sigmoid", 1, Latest, MathTranslators.Unary(ActivationOps.Sigmoid)),
        new(Ai, "Tanh", 1, Latest, MathTranslators.Unary(ArithmeticOps.Tanh)),
        new(Ai, "Softplus", 1, Latest, MathTranslators.Unary(ActivationOps.SoftPlus)),
        new(Ai, "Softsign", 1, Latest, MathTranslators.Unary(ActivationOps.SoftSign)),
        new(Ai, "Mish", 18, Latest, MathTranslators.Unary(ActivationOps.Mish)),
        new(Ai, "HardSwish", 14, Latest, MathTranslators.Unary(ActivationOps.HSwish)),
        new(Ai, "LeakyRelu", 1, Latest, ActivationTranslators.LeakyRelu),
        new(Ai, "PRelu", 1, 6, ActivationTranslators.PReluV1),
        new(Ai, "PRelu", 7, Latest, ActivationTranslators.PReluV7),
        new(Ai, "Elu", 1, Latest, ActivationTranslators.Elu),
        new(Ai, "Selu", 1, Latest, ActivationTranslators.Selu),
        new(Ai, "Celu", 12, Latest, ActivationTranslators.Celu),
        new(Ai, "HardSigmoid", 1, Latest, ActivationTranslators.HardSigmoid),
        new(Ai, "ThresholdedRelu", 10, Latest, ActivationTranslators.ThresholdedRelu),
        new(Ai, "Shrink", 9, Latest, ActivationTranslators.Shrink),
        new(Ai, "Gelu", 20, Latest, ActivationTranslators.Gelu),
        new(Ai, "Clip", 1, 10, ActivationTranslators.ClipV1),
        new(Ai, "Clip", 11, Latest, ActivationTranslators.ClipV11),

        // ---- Pass-through, casts and constants (PassThroughTranslators.cs, CastTranslators.cs, ConstantTranslators.cs) ----
        new(Ai, "Identity", 1, Latest, PassThroughTranslators.Identity),
        new(Ai, "Dropout", 1, 1, PassThroughTranslators.DropoutV1),
        new(Ai, "Dropout", 2, 6, PassThroughTranslators.DropoutV2),
        new(Ai, "Dropout", 7, Latest, PassThroughTranslators.DropoutV7),
        new(Ai, "Cast", 1, Latest, CastTranslators.Cast),
        new(Ai, "CastLike", 15, Latest, CastTranslators.CastLike),
        new(Ai, "Constant", 1, Latest, ConstantTranslators.Constant),
        new(Ai, "ConstantOfShape", 9, Latest, ConstantTranslators.ConstantOfShape),

        // ---- Shapes (ShapeTranslators.cs) ----
        new(Ai, "Shape", 1, Latest, ShapeTranslators.Shape),
        new(Ai, "Size", 1, Latest, ShapeTranslators.Size),
        new(Ai, "Reshape", 1, 4, ShapeTranslators.ReshapeV1),
        new(Ai, "Reshape", 5, Latest, ShapeTranslators.ReshapeV5),
        new(Ai, "Flatten", 1, Latest, ShapeTranslators.Flatten),
        new(Ai, "Squeeze", 1, 12, ShapeTranslators.SqueezeV1),
        new(Ai, "Squeeze", 13, Latest, ShapeTranslators.SqueezeV13),
        new(Ai, "Unsqueeze", 1, 12, ShapeTranslators.UnsqueezeV1),
        new(Ai, "Unsqueeze", 13, Latest, ShapeTranslators.UnsqueezeV13),

        // ---- Data movement (LayoutTranslators.cs) ----
        new(Ai, "Concat", 1, 3, LayoutTranslators.ConcatV1),
        new(Ai, "Concat", 4, Latest, LayoutTranslators.ConcatV4),
        new(Ai, "Transpose", 1, Latest, LayoutTranslators.Transpose),
        new(Ai, "Gather", 1, Latest, LayoutTranslators.Gather),
        new(Ai, "Expand", 8, Latest, LayoutTranslators.Expand),
        new(Ai, "Where", 9, Latest, LayoutTranslators.Where),
        new(Ai, "Range", 11, Latest, LayoutTranslators.Range),

        // ---- Convolution, pooling, normalization ----
        new(Ai, "Conv", 1, Latest, ConvolutionTranslators.Conv),
        new(Ai, "ConvInteger", 10, Latest, ConvolutionTranslators.ConvInteger),
        new(Ai, "ConvTranspose", 1, Latest, ConvolutionTranslators.ConvTranspose),
        new(Ai, "MaxPool", 1, Latest, PoolingTranslators.MaxPool),
        new(Ai, "AveragePool", 1, Latest, PoolingTranslators.AveragePool),
        new(Ai, "LpPool", 1, 1, PoolingTranslators.LpPoolV1),
        new(Ai, "LpPool", 2, Latest, PoolingTranslators.LpPoolV2),
        new(Ai, "MaxUnpool", 9, Latest, PoolingTranslators.MaxUnpool),
        new(Ai, "GlobalAveragePool", 1, Latest, PoolingTranslators.GlobalAveragePool),
        new(Ai, "GlobalMaxPool", 1, Latest, PoolingTranslators.GlobalMaxPool),
        new(Ai, "GlobalLpPool", 1, 1, PoolingTranslators.GlobalLpPoolV1),
        new(Ai, "GlobalLpPool", 2, Latest, PoolingTranslators.GlobalLpPoolV2),
        new(Ai, "BatchNormalization", 1, 8, NormalizationTranslators.BatchNormalizationV1),
        new(Ai, "BatchNormalization", 9, Latest, NormalizationTranslators.BatchNormalizationV9),
        new(Ai, "InstanceNormalization", 1, Latest, NormalizationTranslators.InstanceNormalization),
        new(Ai, "LayerNormalization", 17, Latest, NormalizationTranslators.LayerNormalization),
        new(Ai, "GroupNormalization", 18, 20, NormalizationTranslators.GroupNormalizationV18),
        new(Ai, "GroupNormalization", 21, Latest, NormalizationTranslators.GroupNormalizationV21),
        new(Ai, "MeanVarianceNormalization", 9, Latest, NormalizationTranslators.MeanVarianceNormalization),
        new(Ai, "LpNormalization", 1, Latest, NormalizationTranslators.LpNormalization),
        new(Ai, "LRN", 1, Latest, NormalizationTranslators.Lrn),

        // ---- Slicing, indexing, scatter, padding, tiling ----
        new(Ai, "Slice", 1, 9, SlicingTranslators.SliceV1),
        new(Ai, "Slice", 10, Latest, SlicingTranslators.SliceV10),
        new(Ai, "Split", 1, 1, SlicingTranslators.SplitV1),
        new(Ai, "Split", 2, 12, SlicingTranslators.SplitV2),
        new(Ai, "Split", 13, 17, SlicingTranslators.SplitV13),
        new(Ai, "Split", 18, Latest, SlicingTranslators.SplitV18),
        new(Ai, "Tile", 1, 5, SlicingTranslators.TileV1),
        new(Ai, "Tile", 6, Latest, SlicingTranslators.TileV6),
        new(Ai, "Pad", 1, 1, SlicingTranslators.PadV1),
        new(Ai, "Pad", 2, 10, SlicingTranslators.PadV2),
        new(Ai, "Pad", 11, 17, SlicingTranslators.PadV11),
        new(Ai, "Pad", 18, Latest, SlicingTranslators.PadV18),
        new(Ai, "DepthToSpace", 1, Latest, SlicingTranslators.DepthToSpace),
        new(Ai, "SpaceToDepth", 1, Latest, SlicingTranslators.SpaceToDepth),
        new(Ai, "Trilu", 14, Latest, SlicingTranslators.Trilu),
        new(Ai, "ReverseSequence", 10, Latest, SlicingTranslators.ReverseSequence),
        new(Ai, "GatherElements", 11, Latest, IndexingTranslators.GatherElements),
        new(Ai, "GatherND", 11, Latest, IndexingTranslators.GatherND),
        new(Ai, "Scatter", 9, 10, IndexingTranslators.ScatterElements),
        new(Ai, "ScatterElements", 11, Latest, IndexingTranslators.ScatterElements),
        new(Ai, "ScatterND", 11, Latest, IndexingTranslators.ScatterND),
        new(Ai, "OneHot", 9, Latest, IndexingTranslators.OneHot),
        new(Ai, "NonZero", 9, Latest, IndexingTranslators.NonZero),
        new(Ai, "Compress", 9, Latest, IndexingTranslators.Compress),
        new(Ai, "Unique", 11, Latest, IndexingTranslators.Unique),
        new(Ai, "EyeLike", 9, Latest, IndexingTranslators.EyeLike),
        new(Ai, "CumSum", 11, Latest, IndexingTranslators.CumSum),
        new(Ai, "BitShift", 11, Latest, IndexingTranslators.BitShift),

        // ---- Reductions, softmax, top-k, linear algebra ----
        // (ReductionTranslators.cs, SoftmaxTranslators.cs, LinearAlgebraTranslators.cs, LossTranslators.cs)
        new(Ai, "ReduceSum", 1, 12, ReductionTranslators.ReduceSumV1),
        new(Ai, "ReduceSum", 13, Latest, ReductionTranslators.ReduceSumV13),
        new(Ai, "ReduceMean", 1, 17, ReductionTranslators.ReduceMeanV1),
        new(Ai, "ReduceMean", 18, Latest, ReductionTranslators.ReduceMeanV18),
        new(Ai, "ReduceMax", 1, 17, ReductionTranslators.ReduceMaxV1),
        new(Ai, "ReduceMax", 18, Latest, ReductionTranslators.ReduceMaxV18),
        new(Ai, "ReduceMin", 1, 17, ReductionTranslators.ReduceMinV1),
        new(Ai, "ReduceMin", 18, Latest, ReductionTranslators.ReduceMinV18),
        new(Ai, "ReduceProd", 1, 17, ReductionTranslators.ReduceProdV1),
        new(Ai, "ReduceProd", 18, Latest, ReductionTranslators.ReduceProdV18),
        new(Ai, "ReduceL1", 1, 17, ReductionTranslators.ReduceL1V1),
        new(Ai, "ReduceL1", 18, Latest, ReductionTranslators.ReduceL1V18),
        new(Ai, "ReduceL2", 1, 17, ReductionTranslators.ReduceL2V1),
        new(Ai, "ReduceL2", 18, Latest, ReductionTranslators.ReduceL2V18),
        new(Ai, "ReduceLogSum", 1, 17, ReductionTranslators.ReduceLogSumV1),
        new(Ai, "ReduceLogSum", 18, Latest, ReductionTranslators.ReduceLogSumV18),
        new(Ai, "ReduceLogSumExp", 1, 17, ReductionTranslators.ReduceLogSumExpV1),
        new(Ai, "ReduceLogSumExp", 18, Latest, ReductionTranslators.ReduceLogSumExpV18),
        new(Ai, "ReduceSumSquare", 1, 17, ReductionTranslators.ReduceSumSquareV1),
        new(Ai, "ReduceSumSquare", 18, Latest, ReductionTranslators.ReduceSumSquareV18),
        new(Ai, "ArgMax", 1, Latest, ReductionTranslators.ArgMax),
        new(Ai, "ArgMin", 1, Latest, ReductionTranslators.ArgMin),
        new(Ai, "Softmax", 1, 12, SoftmaxTranslators.SoftmaxV1),
        new(Ai, "Softmax", 13, Latest, SoftmaxTranslators.SoftmaxV13),
        new(Ai, "LogSoftmax", 1, 12, SoftmaxTranslators.LogSoftmaxV1),
        new(Ai, "LogSoftmax", 13, Latest, SoftmaxTranslators.LogSoftmaxV13),
        new(Ai, "Hardmax", 1, 12, SoftmaxTranslators.HardmaxV1),
        new(Ai, "Hardmax", 13, Latest, SoftmaxTranslators.HardmaxV13),
        new(Ai, "TopK", 1, 9, SoftmaxTranslators.TopKV1),
        new(Ai, "TopK", 10, 10, SoftmaxTranslators.TopKV10),
        new(Ai, "TopK", 11, Latest, SoftmaxTranslators.TopKV11),
        new(Ai, "Gemm", 1, Latest, LinearAlgebraTranslators.Gemm),
        new(Ai, "MatMul", 1, Latest, LinearAlgebraTranslators.MatMul),
        new(Ai, "MatMulInteger", 10, Latest, LinearAlgebraTranslators.MatMulInteger),
        new(Ai, "Einsum", 12, Latest, LinearAlgebraTranslators.Einsum),
        new(Ai, "NegativeLogLikelihoodLoss", 12, Latest, LossTranslators.NegativeLogLikelihoodLoss),
        new(Ai, "SoftmaxCrossEntropyLoss", 12, Latest, LossTranslators.SoftmaxCrossEntropyLoss),

        // ---- Interpolation, quantization, detection, signal ----
        new(Ai, "Upsample", 7, 8, ResizeTranslators.UpsampleV7),
        new(Ai, "Upsample", 9, Latest, ResizeTranslators.UpsampleV9),
        new(Ai, "Resize", 10, 10, ResizeTranslators.ResizeV10),
        new(Ai, "Resize", 11, Latest, ResizeTranslators.ResizeV11),
        new(Ai, "GridSample", 16, 19, ResizeTranslators.GridSampleV16),
        new(Ai, "GridSample", 20, Latest, ResizeTranslators.GridSampleV20),
        new(Ai, "QuantizeLinear", 10, 12, QuantizationTranslators.QuantizeLinearV10),
        new(Ai, "QuantizeLinear", 13, Latest, QuantizationTranslators.QuantizeLinearV13),
        new(Ai, "DequantizeLinear", 10, 12, QuantizationTranslators.DequantizeLinearV10),
        new(Ai, "DequantizeLinear", 13, Latest, QuantizationTranslators.DequantizeLinearV13),
        new(Ai, "DynamicQuantizeLinear", 11, Latest, QuantizationTranslators.DynamicQuantizeLinear),
        new(Ai, "QLinearMatMul", 10, Latest, QuantizationTranslators.QLinearMatMul),
        new(Ai, "QLinearConv", 10, Latest, QuantizationTranslators.QLinearConv),
        new(Ai, "NonMaxSuppression", 10, Latest, DetectionTranslators.NonMaxSuppression),
        new(Ai, "RoiAlign", 10, 15, DetectionTranslators.RoiAlignV10),
        new(Ai, "RoiAlign", 16, Latest, DetectionTranslators.RoiAlignV16),
        new(Ai, "DFT", 17, 19, SignalTranslators.DftV17),
        new(Ai, "DFT", 20, Latest, SignalTranslators.DftV20),
        new(Ai, "STFT", 17, Latest, SignalTranslators.Stft),
        new(Ai, "HannWindow", 17, Latest, SignalTranslators.HannWindow),
        new(Ai, "HammingWindow", 17, Latest, SignalTranslators.HammingWindow),
        new(Ai, "BlackmanWindow", 17, Latest, SignalTranslators.BlackmanWindow),
        new(Ai, "MelWeightMatrix", 17, Latest, SignalTranslators.MelWeightMatrix),
        new(Ai, "Det", 11, Latest, DeterminantTranslators.Det),

        // ---- Recurrent, control flow, sequences, embeddings ----
        new(Ai, "LSTM", 1, Latest, RecurrentTranslators.Lstm),
        new(Ai, "GRU", 1, Latest, RecurrentTranslators.Gru),
        new(Ai, "RNN", 1, Latest, RecurrentTranslators.Rnn),
        new(Ai, "Loop", 1, Latest, ControlFlowTranslators.Loop),
        new(Ai, "If", 1, Latest, ControlFlowTranslators.If),
        new(Ai, "Scan", 8, 8, ControlFlowTranslators.ScanV8),
        new(Ai, "Scan", 9, Latest, ControlFlowTranslators.ScanV9),
        new(Ai, "SequenceEmpty", 11, Latest, SequenceTranslators.SequenceEmpty),
        new(Ai, "SequenceConstruct", 11, Latest, SequenceTranslators.SequenceConstruct),
        new(Ai, "SequenceLength", 11, Latest, SequenceTranslators.SequenceLength),
        new(Ai, "SequenceAt", 11, Latest, SequenceTranslators.SequenceAt),
        new(Ai, "SequenceInsert", 11, Latest, SequenceTranslators.SequenceInsert),
        new(Ai, "SequenceErase", 11, Latest, SequenceTranslators.SequenceErase),
        new(Ai, "ConcatFromSequence", 11, Latest, SequenceTranslators.ConcatFromSequence),
        new(Ai, "SplitToSequence", 11, Latest, SequenceTranslators.SplitToSequence),
        new(Ai, "SequenceMap", 17, Latest, SequenceTranslators.SequenceMap),
        new(Ai, "Optional", 15, Latest, SequenceTranslators.Optional),
        new(Ai, "OptionalHasElement", 15, Latest, SequenceTranslators.OptionalHasElement),
        new(Ai, "OptionalGetElement", 15, Latest, SequenceTranslators.OptionalGetElement),
        new(Ai, "ATen", 1, Latest, EmbeddingTranslators.Aten),
        new(OnnxDomains.PyTorchAten, "ATen", 1, Latest, EmbeddingTranslators.Aten),
    ];

    /// <summary>The translator for an op at an opset, or null when ModelBuild cannot convert it.</summary>
    public static OnnxTranslator? Find(string domain, string opType, long opset)
    {
        if (!Index.Value.TryGetValue((OnnxDomains.Normalize(domain), opType), out var entries))
        {
            return null;
        }

        foreach (var entry in entries)
        {
            if (opset >= entry.FirstOpset && opset <= entry.LastOpset)
            {
                return entry.Translator;
            }
        }

        return null;
    }

    private static Dictionary<(string, string), OnnxOpEntry[]> BuildIndex()
    {
        var index = Entries.GroupBy(e => (e.Domain, e.OpType)).ToDictionary(g => g.Key, g => g.OrderBy(e => e.FirstOpset).ToArray());
        foreach (var ((domain, op), entries) in index)
        {
            for (var i = 1; i < entries.Length; i++)
            {
                if (entries[i].FirstOpset <= entries[i - 1].LastOpset)
                {
                    throw new InvalidOperationException($"Opset ranges of {domain}.{op} overlap in the op table.");
                }
            }
        }

        return index;
    }
}
