using ModelBuild.Core.Graph;

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
