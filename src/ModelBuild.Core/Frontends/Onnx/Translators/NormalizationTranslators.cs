using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Normalizations: BatchNormalization → BatchNormInference, GroupNormalization → GroupNormalization-12,
/// LRN → LRN; Instance/Layer/MeanVariance normalization are MVN with per-channel or trailing-axis
/// affine terms; LpNormalization divides by a ReduceL1/L2.
/// </summary>
public static class NormalizationTranslators
{
    /// <summary>
    /// BatchNormalization-1, 6 and 7: as in later versions, except that <c>spatial=0</c> gives
    /// per-activation parameters [C, D1, …], applied element-wise.
    /// </summary>
    public static IReadOnlyList<Output> BatchNormalizationV1(OnnxNodeContext context)
    {
        var (x, parameters, epsilon) = BatchNormalizationInputs(context);
        if (context.GetInt("spatial", 1) == 0 && !(parameters[0].Shape.IsRankStatic && parameters[0].Shape.Rank == 1))
        {
            var b = context.Graph;
            var (scale, bias, mean, variance) = (parameters[0], parameters[1], parameters[2], parameters[3]);
            var deviation = b.Make(ArithmeticOps.Sqrt, [b.Add(b.Unsqueeze(variance, 0), b.ScalarLike(x, epsilon))]);
            var normalized = b.Divide(b.Subtract(x, b.Unsqueeze(mean, 0)), deviation);
            return [b.Add(b.Multiply(normalized, b.Unsqueeze(scale, 0)), b.Unsqueeze(bias, 0))];
        }

        return [BatchNormInference(context, x, parameters, epsilon)];
    }

    /// <summary>BatchNormalization-9 and later: per-channel parameters.</summary>
    public static IReadOnlyList<Output> BatchNormalizationV9(OnnxNodeContext context)
    {
        var (x, parameters, epsilon) = BatchNormalizationInputs(context);
        return [BatchNormInference(context, x, parameters, epsilon)];
    }

    /// <summary>InstanceNormalization: MVN over the spatial axes, then per-channel scale and bias.</summary>
    public static IReadOnlyList<Output> InstanceNormalization(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var rank = StaticRank(context, x);
        var normalized = Mvn(b, x, Enumerable.Range(2, rank - 2), context.GetFloat("epsilon", 1e-5f), insideSqrt: true);
        var scaled = b.Multiply(normalized, ConvolutionTranslators.PerChannel(b, context.Input(1), rank));
        return [b.Add(scaled, ConvolutionTranslators.PerChannel(b, context.Input(2), rank))];
    }

    /// <summary>
    /// LayerNormalization: MVN over axes [axis, rank) computed in stash_type precision, then scale
    /// and optional bias. The optional Mean and InvStdDev outputs (stash_type) are reductions of their own.
    /// </summary>
    public static IReadOnlyList<Output> LayerNormalization(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var rank = StaticRank(context, x);
        var axis = context.GetInt("axis", -1);
        var first = axis < 0 ? axis + rank : axis;
        if (first < 0 || first >= rank)
        {
            throw context.Error($"axis {axis} is out of range for rank {rank}");
        }

        var epsilon = context.GetFloat("epsilon", 1e-5f);
        var stash = OnnxTensors.ToElementType((int)context.GetInt("stash_type", 1), "stash_type");
        var axes = Enumerable.Range((int)first, rank - (int)first).ToArray();
        var stashed = b.Convert(x, stash);
        var normalized = b.Convert(Mvn(b, stashed, axes, epsilon, insideSqrt: true), x.Type);
        var y = b.Multiply(normalized, context.Input(1));
        if (context.OptionalInput(2) is { } bias)
        {
            y = b.Add(y, bias);
        }

        if (!context.IsOutputUsed(1) && !context.IsOutputUsed(2))
        {
            return [y];
        }

        var axesInput = b.Int64s(axes.Select(a => (long)a).ToArray());
        var mean = b.Make(ReductionOps.ReduceMean, [stashed, axesInput], ("keep_dims", true));
        var centered = b.Subtract(stashed, mean);
        var variance = b.Make(ReductionOps.ReduceMean, [b.Multiply(centered, centered), axesInput], ("keep_dims", true));
        var deviation = b.Make(ArithmeticOps.Sqrt, [b.Add(variance, b.ScalarLike(stashed, epsilon))]);
        return [y, mean, b.Divide(b.ScalarLike(stashed, 1), deviation)];
    }

    /// <summary>
    /// GroupNormalization-18: one scale and bias per group, repeated here for the group's channels
    /// ([G] → [G, C/G] → [C]), computed in the input's type.
    /// </summary>
    public static IReadOnlyList<Output> GroupNormalizationV18(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var groups = context.GetInt("num_groups");
        var scale = b.Convert(context.Input(1), x.Type);
        var bias = b.Convert(context.Input(2), x.Type);
        var channels = b.Gather(b.ShapeOf(x), b.Int64s(1), 0);
        var perGroup = b.Concat([b.Int64s(groups), b.Divide(channels, b.Int64s(groups))], 0);
        scale = b.Reshape(b.Broadcast(b.Unsqueeze(scale, 1), perGroup), -1);
        bias = b.Reshape(b.Broadcast(b.Unsqueeze(bias, 1), perGroup), -1);
        return [GroupNormalization(context, x, groups, x.Type, scale, bias)];
    }

    /// <summary>GroupNormalization-21: per-channel scale and bias, computed in <c>stash_type</c>.</summary>
    public static IReadOnlyList<Output> GroupNormalizationV21(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var groups = context.GetInt("num_groups");
        var stash = OnnxTensors.ToElementType((int)context.GetInt("stash_type", 1), "stash_type");
        var scale = b.Convert(context.Input(1), stash);
        var bias = b.Convert(context.Input(2), stash);
        return [GroupNormalization(context, x, groups, stash, scale, bias)];
    }

    /// <summary>MeanVarianceNormalization: (x − mean) / (√variance + 1e-9) over <c>axes</c> (default [0, 2, 3]).</summary>
    public static IReadOnlyList<Output> MeanVarianceNormalization(OnnxNodeContext context)
    {
        var axes = context.GetInts("axes", [0, 2, 3]);
        return [Mvn(context.Graph, context.Input(0), axes.Select(a => (int)a), 1e-9f, insideSqrt: false)];
    }

    /// <summary>LpNormalization: x / ‖x‖ₚ along <c>axis</c>, p ∈ {1, 2}.</summary>
    public static IReadOnlyList<Output> LpNormalization(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var p = context.GetInt("p", 2);
        if (p is not (1 or 2))
        {
            throw context.Error($"p must be 1 or 2, not {p}");
        }

        var norm = b.Make(p == 1 ? ReductionOps.ReduceL1 : ReductionOps.ReduceL2, [x, b.Int64s(context.GetInt("axis", -1))], ("keep_dims", true));
        return [b.Divide(x, norm)];
    }

    /// <summary>
    /// LRN across channels: x / (bias + alpha/size · Σ x²)^beta, the sum over channels
    /// [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉]. OpenVINO's LRN centres its window symmetrically, which
    /// matches only for odd sizes; even sizes sum with a ones-kernel Convolution over the channel axis.
    /// </summary>
    public static IReadOnlyList<Output> Lrn(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var size = context.GetInt("size");
        var alpha = (double)context.GetFloat("alpha", 1e-4f);
        var beta = (double)context.GetFloat("beta", 0.75f);
        var bias = (double)context.GetFloat("bias", 1f);
        if (size <= 0)
        {
            throw context.Error($"size must be positive, not {size}");
        }

        if (size % 2 == 1)
        {
            return [b.Make(NormalizationOps.Lrn, [x, b.Int64s(1)], ("alpha", alpha), ("beta", beta), ("bias", bias), ("size", size))];
        }

        // Squares viewed as [N, 1, C, rest] and summed along C by a [1, 1, size, 1] ones kernel.
        var shape = b.ShapeOf(x);
        var planes = b.Reshape(b.Multiply(x, x), b.Concat([b.Gather(shape, b.Int64s(0), 0), b.Int64s(1), b.Gather(shape, b.Int64s(1), 0), b.Int64s(-1)], 0));
        var ones = b.Broadcast(b.ScalarLike(x, 1), b.Int64s(1, 1, size, 1));
        var before = (size - 1) / 2;
        var sums = b.Make(ConvolutionOps.Convolution, [planes, ones], ("strides", new long[] { 1, 1 }), ("dilations", new long[] { 1, 1 }),
            ("pads_begin", new long[] { before, 0 }), ("pads_end", new long[] { size - 1 - before, 0 }), ("auto_pad", "explicit"));
        var denominator = b.Add(b.ScalarLike(x, bias), b.Multiply(b.ScalarLike(x, alpha / size), b.Reshape(sums, shape)));
        return [b.Divide(x, b.Make(ArithmeticOps.Power, [denominator, b.ScalarLike(x, beta)]))];
    }

    /// <summary>
    /// The data, the scale, bias, mean and variance in the data's type, and epsilon. Training
    /// (opset 14 training_mode, or any of the statistics outputs) cannot be converted.
    /// </summary>
    private static (Output X, Output[] Parameters, double Epsilon) BatchNormalizationInputs(OnnxNodeContext context)
    {
        if (context.GetInt("training_mode", 0) != 0 || Enumerable.Range(1, Math.Max(0, context.OutputCount - 1)).Any(i => context.IsOutputUsed(i)))
        {
            throw context.Error("training mode (batch statistics, running mean/variance outputs) cannot be converted for inference; export the model in eval mode");
        }

        var b = context.Graph;
        var x = context.Input(0);
        var parameters = Enumerable.Range(1, 4).Select(i => b.Convert(context.Input(i), x.Type)).ToArray();
        return (x, parameters, context.GetFloat("epsilon", 1e-5f));
    }

    /// <summary>BatchNormalization at inference: BatchNormInference with the running mean and variance.</summary>
    private static Output BatchNormInference(OnnxNodeContext context, Output x, Output[] parameters, double epsilon) =>
        context.Graph.Make(NormalizationOps.BatchNormInference, [x, .. parameters], ("epsilon", epsilon));

    /// <summary>GroupNormalization-12 on x in <paramref name="stash"/> precision, converted back to x's type.</summary>
    private static Output GroupNormalization(OnnxNodeContext context, Output x, long groups, ElementType stash, Output scale, Output bias)
    {
        var b = context.Graph;
        var y = b.Make(NormalizationOps.GroupNormalization, [b.Convert(x, stash), scale, bias],
            ("num_groups", groups), ("epsilon", (double)context.GetFloat("epsilon", 1e-5f)));
        return b.Convert(y, x.Type);
    }

    private static Output Mvn(GraphBuilder builder, Output x, IEnumerable<int> axes, float epsilon, bool insideSqrt) =>
        builder.Make(NormalizationOps.Mvn, [x, builder.Int64s(axes.Select(a => (long)a).ToArray())],
            ("eps", (double)epsilon), ("normalize_variance", true), ("eps_mode", insideSqrt ? "INSIDE_SQRT" : "OUTSIDE_SQRT"));

    private static int StaticRank(OnnxNodeContext context, Output x) =>
        x.Shape.IsRankStatic ? x.Shape.Rank : throw context.Error("the input rank must be known");
}
