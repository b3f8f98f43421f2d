using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// GroupNormalization-12: data [N, C, …] split into <c>num_groups</c> groups of channels, each
/// normalized by its mean and variance (+ epsilon), then scaled and shifted per channel.
/// </summary>
public sealed class GroupNormalizationOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("num_groups"), AttributeSpec.Float("epsilon")];

    public GroupNormalizationOp()
        : base("GroupNormalization", version: 12, minInputs: 3, maxInputs: 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        type = NormalizationChecks.FloatType(context, 1, type);
        type = NormalizationChecks.FloatType(context, 2, type);
        var groups = context.Attributes.GetInt("num_groups");
        context.Require(groups > 0, "num_groups must be positive");
        var data = context.InputShape(0);
        context.Require(!data.IsRankStatic || data.Rank >= 2, $"data {data.ToDisplayString()} must have rank 2 or more");
        var channels = data.IsRankStatic ? data[1] : Dimension.Dynamic;
        channels = NormalizationChecks.PerChannel(context, 1, channels, "scale");
        channels = NormalizationChecks.PerChannel(context, 2, channels, "bias");
        context.Require(!channels.IsStatic || channels.Length % groups == 0, $"{channels} channels do not split into {groups} groups");
        context.SetOutput(0, type, NormalizationChecks.WithChannels(data, channels));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var x = data.ToDoubleArray();
        var scale = context.Input(1).ToDoubleArray();
        var bias = context.Input(2).ToDoubleArray();
        var groups = context.Attributes.GetInt("num_groups");
        var epsilon = context.Attributes.GetFloat("epsilon");
        var inner = NormalizationChecks.InnerSize(data.Shape);
        var channelsPerGroup = data.Shape[1] / groups;
        var block = channelsPerGroup * inner;
        var y = new double[x.Length];

        // In row-major [N, C, …] layout each (batch, group) pair is one contiguous block.
        for (long start = 0; start < x.Length; start += block)
        {
            var values = x.AsSpan((int)start, (int)block);
            double mean = 0;
            foreach (var v in values)
            {
                mean += v / block;
            }

            double variance = 0;
            foreach (var v in values)
            {
                variance += (v - mean) * (v - mean) / block;
            }

            var firstChannel = start / inner % data.Shape[1];
            for (long j = 0; j < block; j++)
            {
                var c = firstChannel + j / inner;
                y[start + j] = (values[(int)j] - mean) / Math.Sqrt(variance + epsilon) * scale[c] + bias[c];
            }
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }
}

public static partial class NormalizationOps
{
    public static readonly OpDefinition GroupNormalization = new GroupNormalizationOp();
}
