using ModelBuild.Core.Graph;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>BatchNorm (with running statistics from the non-trainable parameters file) and LayerNorm.</summary>
internal static class NormalizationLayers
{
    /// <summary>
    /// y = γ·(x − mean)/√(var + eps) + β per feature of a 2-D input, with the running mean and variance
    /// of the non-trainable parameters file. HugeCTR's <c>factor</c> is the ONNX momentum (unused at inference).
    /// </summary>
    public static void BatchNorm(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var channels = input.Last;
        var layer = context.Layer;
        var graph = context.Graph;
        var gamma = graph.Initializer($"{top}_gamma", ElementType.F32, [channels], context.Weights("gamma", channels));
        var beta = graph.Initializer($"{top}_beta", ElementType.F32, [channels], context.Weights("beta", channels));
        var statistics = context.BatchNormStatistics(channels);
        var mean = graph.Floats($"{top}_running_mean", [channels], statistics.Mean);
        var variance = graph.Floats($"{top}_running_variance", [channels], statistics.Variance);
        graph.Node("BatchNormalization", [bottom, gamma, beta, mean, variance], top,
            Float("epsilon", (float)layer.Number("bn_param", "eps")),
            Float("momentum", (float)layer.Number("bn_param", "factor")));
        context.SetShape(top, input);
    }

    /// <summary>
    /// Normalization over the last axis with the biased variance, spelled out in opset-10 ops as
    /// hugectr2onnx does; intermediate names derive from the bottom. Unlike hugectr2onnx, 2-D inputs work too.
    /// </summary>
    public static void LayerNorm(LayerContext context)
    {
        var (x, top) = (context.Bottom, context.Top);
        var input = context.Shape(x);
        var channels = input.Last;
        var graph = context.Graph;
        var gamma = graph.Initializer($"{top}_gamma", ElementType.F32, [channels], context.Weights("gamma", channels));
        var beta = graph.Initializer($"{top}_beta", ElementType.F32, [channels], context.Weights("beta", channels));
        var epsilon = graph.Float($"{top}_epsilon", (float)context.Layer.Number("ln_param", "eps"));
        var mean = graph.Intermediate("ReduceMean", [x], $"{x}_mean", Ints("axes", -1));
        var difference = graph.Intermediate("Sub", [x, mean], $"{x}_subtracted");
        var squared = graph.Intermediate("Mul", [difference, difference], $"{x}_squared_diff");
        var variance = graph.Intermediate("ReduceMean", [squared], $"{x}_variance", Ints("axes", -1));
        var shifted = graph.Intermediate("Add", [variance, epsilon], $"{x}_var_epsilon");
        var deviation = graph.Intermediate("Sqrt", [shifted], $"{x}_std_dev");
        var inverse = graph.Intermediate("Reciprocal", [deviation], $"{x}_inv_std_dev");
        var centered = graph.Intermediate("Sub", [x, mean], $"{x}_normalized");
        var scaled = graph.Intermediate("Mul", [centered, inverse], $"{x}_scaled");
        var weighted = graph.Intermediate("Mul", [scaled, gamma], $"{x}_scaled_output");
        graph.Node("Add", [weighted, beta], top);
        context.SetShape(top, input);
    }
}
