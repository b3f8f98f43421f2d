using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// The window attributes of ONNX Conv, ConvTranspose and the pooling ops, in OpenVINO's terms:
/// <c>pads</c> [b1, b2, …, e1, e2, …] split into begin and end, <c>auto_pad</c> NOTSET → explicit,
/// SAME_UPPER/SAME_LOWER/VALID → same_upper/same_lower/valid (pads then zero).
/// </summary>
internal sealed record OnnxWindow(long[] Strides, long[] Dilations, long[] PadsBegin, long[] PadsEnd, string AutoPad)
{
    public static OnnxWindow Read(OnnxNodeContext context, int spatial)
    {
        var strides = Values(context, "strides", spatial, 1);
        var dilations = Values(context, "dilations", spatial, 1);
        // Every window computation divides by a stride, and a dilation of 0 would fold the kernel to a point.
        if (strides.Concat(dilations).Any(v => v < 1))
        {
            throw context.Error($"strides [{string.Join(", ", strides)}] and dilations [{string.Join(", ", dilations)}] must be at least 1");
        }

        var pads = context.GetInts("pads") ?? new long[2 * spatial];
        if (pads.Length != 2 * spatial)
        {
            throw context.Error($"pads has {pads.Length} values; {spatial} spatial axes need {2 * spatial}");
        }

        var autoPad = context.GetString("auto_pad", "NOTSET") switch
        {
            "NOTSET" or "" => "explicit",
            "SAME_UPPER" => "same_upper",
            "SAME_LOWER" => "same_lower",
            "VALID" => "valid",
            var other => throw context.Error($"auto_pad '{other}' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID"),
        };
        var isExplicit = autoPad == "explicit";
        return new OnnxWindow(strides, dilations, isExplicit ? pads[..spatial] : new long[spatial], isExplicit ? pads[spatial..] : new long[spatial], autoPad);
    }

    /// <summary>An ints attribute with one value per spatial axis, or <paramref name="fill"/> everywhere when absent.</summary>
    public static long[] Values(OnnxNodeContext context, string name, int spatial, long fill)
    {
        var values = context.GetInts(name) ?? Enumerable.Repeat(fill, spatial).ToArray();
        if (values.Length != spatial)
        {
            throw context.Error($"{name} has {values.Length} values for {spatial} spatial axes");
        }

        return values;
    }

    /// <summary>The attributes of an OpenVINO Convolution-like op.</summary>
    public (string, object)[] ConvolutionAttributes() =>
        [("strides", Strides), ("dilations", Dilations), ("pads_begin", PadsBegin), ("pads_end", PadsEnd), ("auto_pad", AutoPad)];
}

/// <summary>Conv, ConvInteger and ConvTranspose: OpenVINO (Group)Convolution and (Group)ConvolutionBackpropData.</summary>
public static class ConvolutionTranslators
{
    /// <summary>Conv: Convolution, or GroupConvolution when <c>group</c> &gt; 1; a bias becomes a per-channel Add.</summary>
    public static IReadOnlyList<Output> Conv(OnnxNodeContext context)
    {
        var y = Forward(context, context.Input(0), context.Input(1));
        return [context.OptionalInput(2) is { } bias ? context.Graph.Add(y, PerChannel(context.Graph, bias, y.Shape.Rank)) : y];
    }

    /// <summary>
    /// ConvInteger: (x − x_zero_point) ⊛ (w − w_zero_point) as i32. A 1-D w_zero_point holds one value per output
    /// channel and is aligned with the filters' first axis. Like MatMulInteger, the operands are dequantized to f32
    /// (a constant w staying an integer weight) and convolved in f32, exact while the sums stay below 2^24.
    /// </summary>
    public static IReadOnlyList<Output> ConvInteger(OnnxNodeContext context)
    {
        var w = context.Input(1);
        var wZeroPoint = context.OptionalInput(3);
        if (wZeroPoint is { Shape: { IsRankStatic: true, Rank: 1 } } perChannel && w.Shape.IsRankStatic)
        {
            wZeroPoint = context.Graph.Unsqueeze(perChannel, Enumerable.Range(1, w.Shape.Rank - 1).Select(i => (long)i).ToArray());
        }

        var x = QuantizationTranslators.Centered(context, context.Input(0), context.OptionalInput(2), ElementType.F32);
        var filters = QuantizationTranslators.Centered(context, w, wZeroPoint, ElementType.F32);
        return [context.Graph.Convert(Forward(context, x, filters), ElementType.I32)];
    }

    /// <summary>
    /// ConvTranspose: (Group)ConvolutionBackpropData. With an <c>output_shape</c> attribute or a
    /// SAME_* auto_pad (output = input · stride) the spatial output shape becomes the op's third
    /// input and OpenVINO derives the pads: ONNX puts the larger half of an odd total padding at the
    /// beginning except for SAME_UPPER, which OpenVINO's same_upper and same_lower do respectively.
    /// </summary>
    public static IReadOnlyList<Output> ConvTranspose(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var w = context.Input(1);
        var spatial = SpatialCount(context, x, w);
        var window = OnnxWindow.Read(context, spatial);
        var outputPadding = OnnxWindow.Values(context, "output_padding", spatial, 0);
        var group = context.GetInt("group", 1);
        var op = group == 1 ? ConvolutionOps.ConvolutionBackpropData : ConvolutionOps.GroupConvolutionBackpropData;
        var filters = group == 1 ? w : SplitGroups(context, w, group);

        var requested = context.GetInts("output_shape");
        if (requested is not null && requested.Length == spatial + 2)
        {
            // Some exporters give the full [N, C, spatial…] shape.
            requested = requested[2..];
        }

        Output y;
        if (requested is not null || window.AutoPad.StartsWith("same", StringComparison.Ordinal))
        {
            if (requested is not null && requested.Length != spatial)
            {
                throw context.Error($"output_shape has {requested.Length} values for {spatial} spatial axes");
            }

            var outputShape = requested is not null
                ? b.Int64s(requested)
                : b.Multiply(b.Gather(b.ShapeOf(x), b.Int64Range(2, spatial), 0), b.Int64s(window.Strides));
            var autoPad = window.AutoPad == "same_upper" ? "same_lower" : "same_upper";
            y = b.Make(op, [x, filters, outputShape], ("strides", window.Strides), ("dilations", window.Dilations), ("pads_begin", new long[spatial]),
                ("pads_end", new long[spatial]), ("auto_pad", autoPad), ("output_padding", outputPadding));
        }
        else
        {
            y = b.Make(op, [x, filters], [.. window.ConvolutionAttributes(), ("output_padding", outputPadding)]);
        }

        return [context.OptionalInput(2) is { } bias ? b.Add(y, PerChannel(b, bias, y.Shape.Rank)) : y];
    }

    /// <summary>
    /// A 1-D per-channel tensor reshaped to [1, C, 1, …] so it broadcasts over an [N, C, …] tensor of rank <paramref name="rank"/>.
    /// </summary>
    internal static Output PerChannel(GraphBuilder builder, Output values, int rank)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[1] = -1;
        return builder.Reshape(values, shape);
    }

    /// <summary>The number of spatial axes: from kernel_shape, else the filters' rank, else the data's rank.</summary>
    internal static int SpatialCount(OnnxNodeContext context, Output x, Output w)
    {
        if (context.GetInts("kernel_shape") is { } kernel)
        {
            return kernel.Length;
        }

        if (w.Shape.IsRankStatic)
        {
            return w.Shape.Rank - 2;
        }

        return x.Shape.IsRankStatic ? x.Shape.Rank - 2
            : throw context.Error("the number of spatial axes is unknown: give the data or the filters a static rank, or set kernel_shape");
    }

    /// <summary>Convolution, or GroupConvolution when <c>group</c> &gt; 1, with the node's window attributes (also used by QLinearConv).</summary>
    internal static Output Forward(OnnxNodeContext context, Output x, Output w)
    {
        var window = OnnxWindow.Read(context, SpatialCount(context, x, w));
        var group = context.GetInt("group", 1);
        return group == 1
            ? context.Graph.Make(ConvolutionOps.Convolution, [x, w], window.ConvolutionAttributes())
            : context.Graph.Make(ConvolutionOps.GroupConvolution, [x, SplitGroups(context, w, group)], window.ConvolutionAttributes());
    }

    /// <summary>Filters [C, K, k…] → [group, C/group, K, k…] (Conv's [C_out, C_in/g, …] and ConvTranspose's [C_in, C_out/g, …] alike).</summary>
    private static Output SplitGroups(OnnxNodeContext context, Output filters, long group)
    {
        if (group < 1 || !filters.Shape.IsRankStatic)
        {
            throw context.Error(group < 1 ? $"group must be positive, not {group}" : "grouped filters need a static rank");
        }

        if (filters.Shape[0].IsStatic && filters.Shape[0].Length % group != 0)
        {
            throw context.Error($"{filters.Shape[0]} filter channels do not split into {group} groups");
        }

        var b = context.Graph;
        var rest = b.Gather(b.ShapeOf(filters), b.Int64s(Enumerable.Range(1, filters.Shape.Rank - 1).Select(i => (long)i).ToArray()), 0);
        return b.Reshape(filters, b.Concat([b.Int64s(group, -1), rest], 0));
    }
}
