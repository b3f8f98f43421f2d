using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// The window attributes convolutions and pooling share, read from a node and checked against the
/// number of spatial axes (the length of <c>strides</c>). Empty pads and dilations mean zeros and ones.
/// </summary>
internal sealed record WindowAttributes(long[] Strides, long[] Dilations, long[] PadsBegin, long[] PadsEnd, PadType PadType)
{
    public int SpatialCount => Strides.Length;

    public static WindowAttributes Read(InferenceContext? context, Attributes attributes, long[]? dilations = null)
    {
        var strides = attributes.GetInts("strides");
        var spatial = strides.Length;
        dilations ??= attributes.GetInts("dilations");
        var result = new WindowAttributes(
            strides,
            dilations.Length == 0 ? Ones(spatial) : dilations,
            OrZeros(attributes.GetInts("pads_begin"), spatial),
            OrZeros(attributes.GetInts("pads_end"), spatial),
            SlidingWindow.ParsePadType(attributes.GetString("auto_pad")));
        result.Check(context);
        return result;
    }

    public static long[] Ones(int count) => Enumerable.Repeat(1L, count).ToArray();

    public static long[] OrZeros(long[] values, int count) => values.Length == 0 ? new long[count] : values;

    /// <summary>The pads to apply for an input of known spatial shape.</summary>
    public (long[] Begin, long[] End) ForwardPads(long[] inputSpatial, long[] kernel)
    {
        var begin = new long[SpatialCount];
        var end = new long[SpatialCount];
        for (var i = 0; i < SpatialCount; i++)
        {
            (begin[i], end[i]) = SlidingWindow.ForwardPads(PadType, inputSpatial[i], kernel[i], Strides[i], Dilations[i], PadsBegin[i], PadsEnd[i]);
        }

        return (begin, end);
    }

    /// <summary>Throws when a list does not have one value per spatial axis or a stride/dilation is not positive.</summary>
    public void CheckLength(InferenceContext? context, string name, long[] values)
    {
        if (values.Length != SpatialCount)
        {
            throw Fail(context, $"{name} has {values.Length} values for {SpatialCount} spatial axes");
        }
    }

    public static InferenceException Fail(InferenceContext? context, string message) =>
        context?.Error(message) ?? new InferenceException(message);

    private void Check(InferenceContext? context)
    {
        CheckLength(context, "dilations", Dilations);
        CheckLength(context, "pads_begin", PadsBegin);
        CheckLength(context, "pads_end", PadsEnd);
        if (Array.Exists(Strides, s => s <= 0) || Array.Exists(Dilations, d => d <= 0))
        {
            throw Fail(context, "strides and dilations must be positive");
        }
    }
}
