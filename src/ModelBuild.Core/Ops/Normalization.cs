using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Checks the normalization ops share.</summary>
internal static class NormalizationChecks
{
    /// <summary>Requires a floating-point (or dynamic) type for input <paramref name="index"/> that matches <paramref name="type"/> when both are known.</summary>
    public static ElementType FloatType(InferenceContext context, int index, ElementType type = ElementType.Dynamic)
    {
        var actual = context.InputType(index);
        context.Require(actual == ElementType.Dynamic || actual.IsFloatingPoint(), $"input {index} must be floating-point, not {actual.IrName()}");
        context.Require(type == ElementType.Dynamic || actual == ElementType.Dynamic || actual == type,
            $"input {index} is {actual.IrName()}, the data is {type.IrName()}");
        return actual == ElementType.Dynamic ? type : actual;
    }

    /// <summary>Requires a 1-D per-channel input whose length is compatible with <paramref name="channels"/>; returns the merged channel count.</summary>
    public static Dimension PerChannel(InferenceContext context, int index, Dimension channels, string name)
    {
        var shape = context.InputShape(index);
        if (!shape.IsRankStatic)
        {
            return channels;
        }

        context.Require(shape.Rank == 1, $"{name} must be 1-D, not {shape.ToDisplayString()}");
        return shape[0].Merge(channels) ?? throw context.Error($"{name} has {shape[0]} values for {channels} channels");
    }

    /// <summary>The data shape with dim 1 narrowed to <paramref name="channels"/>.</summary>
    public static PartialShape WithChannels(PartialShape data, Dimension channels) =>
        data.IsRankStatic ? PartialShape.Of(data.Select((d, i) => i == 1 ? channels : d)) : data;

    /// <summary>Elements per channel in an [N, C, …] tensor.</summary>
    public static long InnerSize(long[] shape) => ShapeMath.ElementCount(shape.AsSpan(2));
}

/// <summary>BatchNormInference-5: (data − mean) / √(variance + ε) · gamma + beta with per-channel (axis 1) parameters.</summary>
public sealed class BatchNormInferenceOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Float("epsilon")];
    private static readonly string[] ParameterNames = ["gamma", "beta", "mean", "variance"];

    public BatchNormInferenceOp()
        : base("BatchNormInference", 5, 5, 5)
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

/// <summary>
/// MVN-6: subtracts the mean over <c>axes</c> and, with <c>normalize_variance</c>, divides by
/// √(variance + eps) (<c>inside_sqrt</c>) or √variance + eps (<c>outside_sqrt</c>).
/// </summary>
public sealed class MvnOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Float("eps"),
        AttributeSpec.Bool("normalize_variance"),
        AttributeSpec.String("eps_mode"),
    ];

    public MvnOp()
        : base("MVN", 6, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        InsideSqrt(context, context.Attributes);
        context.Require(context.InputType(1) is ElementType.I64 or ElementType.I32 or ElementType.Dynamic, "axes must be i32 or i64");
        var axesShape = context.InputShape(1);
        context.Require(!axesShape.IsRankStatic || axesShape.Rank == 1, $"axes must be 1-D, not {axesShape.ToDisplayString()}");
        var data = context.InputShape(0);
        if (data.IsRankStatic && context.InputValue(1) is { } axes)
        {
            ReduceOp.NormalizeAxes(context, axes, data.Rank);
        }

        context.SetOutput(0, type, data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axes = ReduceOp.NormalizeAxes(null, context.Input(1), data.Rank);
        var normalizeVariance = context.Attributes.GetBool("normalize_variance");
        var insideSqrt = InsideSqrt(null, context.Attributes);
        var eps = context.Attributes.GetFloat("eps");
        var x = data.ToDoubleArray();
        var group = IndexMaps.Reduction(data.Shape, axes, out var reducedShape);
        var groups = ShapeMath.ElementCount(reducedShape);
        var size = groups == 0 ? 1 : x.Length / groups;
        var mean = new double[groups];
        var variance = new double[groups];
        for (var i = 0; i < x.Length; i++)
        {
            mean[group[i]] += x[i] / size;
        }

        for (var i = 0; i < x.Length; i++)
        {
            var centered = x[i] - mean[group[i]];
            variance[group[i]] += centered * centered / size;
        }

        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = x[i] - mean[group[i]];
            if (normalizeVariance)
            {
                var v = variance[group[i]];
                y[i] /= insideSqrt ? Math.Sqrt(v + eps) : Math.Sqrt(v) + eps;
            }
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }

    private static bool InsideSqrt(InferenceContext? context, Attributes attributes) => attributes.GetString("eps_mode").ToLowerInvariant() switch
    {
        "inside_sqrt" => true,
        "outside_sqrt" => false,
        var other => throw WindowAttributes.Fail(context, $"eps_mode '{other}' is not inside_sqrt or outside_sqrt"),
    };
}

/// <summary>
/// LRN-1: data / (bias + alpha / size^len(axes) · Σ data²)^beta, the sum over a window of
/// <c>size</c> elements centred on each element along every axis in <c>axes</c>, clipped at the edges.
/// </summary>
public sealed class LrnOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Float("alpha"),
        AttributeSpec.Float("beta"),
        AttributeSpec.Float("bias"),
        AttributeSpec.Int("size"),
    ];

    public LrnOp()
        : base("LRN", 1, 2, 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var type = NormalizationChecks.FloatType(context, 0);
        context.Require(context.Attributes.GetInt("size") > 0, "size must be positive");
        context.Require(context.InputType(1).IsInteger() || context.InputType(1) == ElementType.Dynamic, "axes must be integers");
        var axesShape = context.InputShape(1);
        context.Require(!axesShape.IsRankStatic || axesShape.Rank == 1, $"axes must be 1-D, not {axesShape.ToDisplayString()}");
        var data = context.InputShape(0);
        if (data.IsRankStatic && context.InputValue(1) is { } axes)
        {
            ReduceOp.NormalizeAxes(context, axes, data.Rank);
        }

        context.SetOutput(0, type, data);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var axes = ReduceOp.NormalizeAxes(null, context.Input(1), data.Rank).Order().ToArray();
        var alpha = context.Attributes.GetFloat("alpha");
        var beta = context.Attributes.GetFloat("beta");
        var bias = context.Attributes.GetFloat("bias");
        var size = context.Attributes.GetInt("size");
        var half = (size - 1) / 2;
        var scale = alpha / Math.Pow(size, axes.Length);
        var x = data.ToDoubleArray();
        var strides = ShapeMath.Strides(data.Shape);
        var coordinates = new long[data.Rank];
        var low = new long[axes.Length];
        var high = new long[axes.Length];
        var cursor = new long[axes.Length];
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            // The window along each normalized axis, clipped to the tensor.
            for (var a = 0; a < axes.Length; a++)
            {
                var c = coordinates[axes[a]];
                low[a] = Math.Max(0, c - half);
                high[a] = Math.Min(data.Shape[axes[a]], c + half + 1);
                cursor[a] = low[a];
            }

            double sum = 0;
            while (true)
            {
                long offset = i;
                for (var a = 0; a < axes.Length; a++)
                {
                    offset += (cursor[a] - coordinates[axes[a]]) * strides[axes[a]];
                }

                sum += x[offset] * x[offset];
                var axis = axes.Length - 1;
                while (axis >= 0 && ++cursor[axis] >= high[axis])
                {
                    cursor[axis] = low[axis];
                    axis--;
                }

                if (axis < 0)
                {
                    break;
                }
            }

            y[i] = x[i] / Math.Pow(bias + scale * sum, beta);
            for (var axis = data.Rank - 1; axis >= 0 && ++coordinates[axis] >= data.Shape[axis]; axis--)
            {
                coordinates[axis] = 0;
            }
        }

        return [Tensor.FromDoubles(data.Type, y, data.Shape)];
    }
}

/// <summary>
/// GroupNormalization-12: data [N, C, …] split into <c>num_groups</c> groups of channels, each
/// normalized by its mean and variance (+ epsilon), then scaled and shifted per channel.
/// </summary>
public sealed class GroupNormalizationOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Int("num_groups"), AttributeSpec.Float("epsilon")];

    public GroupNormalizationOp()
        : base("GroupNormalization", 12, 3, 3)
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

/// <summary>The normalization ops.</summary>
public static class NormalizationOps
{
    public static readonly OpDefinition BatchNormInference = new BatchNormInferenceOp();
    public static readonly OpDefinition Mvn = new MvnOp();
    public static readonly OpDefinition Lrn = new LrnOp();
    public static readonly OpDefinition GroupNormalization = new GroupNormalizationOp();
}
