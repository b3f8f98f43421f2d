using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>BatchNormInference-5: (data − mean) / √(variance + ε) · gamma + beta with per-channel (axis 1) parameters.</summary>
public sealed class BatchNormInferenceOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Float("epsilon")];
    private static readonly string[] ParameterNames = ["gamma", "beta", "mean", "variance"];

    public BatchNormInferenceOp()
        : base("BatchNormInference", version: 5, minInputs: 5, maxInputs: 5)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        var data = context.InputShape(0);
        context.Require(!data.IsRankStatic || data.Rank >= 2, $"data {data.ToDisplayString()} must have rank 2 or more");
        context.Require(context.Attributes.GetFloat("epsilon") >= 0, "epsilon must not be negative");
        var channels = data.IsRankStatic ? data[1] : Dimension.Dynamic;
        for (var i = 1; i < 5; i++)
        {
            type = NormalizationChecks.FloatType(context, i, type);
            channels = NormalizationChecks.PerChannel(context, i, channels, ParameterNames[i - 1]);
        }

        context.SetOutput(0, type, NormalizationChecks.WithChannels(data, channels));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var x = data.ToDoubleArray();
        var gamma = context.Input(1).ToDoubleArray();
        var beta = context.Input(2).ToDoubleArray();
        var mean = context.Input(3).ToDoubleArray();
        var variance = context.Input(4).ToDoubleArray();
        var epsilon = context.Attributes.GetFloat("epsilon");
        var inner = NormalizationChecks.InnerSize(data.Shape);
        var channels = data.Shape[1];
        var y = new double[x.Length];
        for (long i = 0; i < x.Length; i++)
        {
            var c = i / inner % channels;
            y[i] = (x[i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) * gamma[c] + beta[c];
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }
}

public static partial class NormalizationOps
{
    public static readonly OpDefinition BatchNormInference = new BatchNormInferenceOp();
}
