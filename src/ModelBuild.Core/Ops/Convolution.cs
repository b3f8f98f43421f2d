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

/// <summary>
/// Convolution-1 and GroupConvolution-1: data [N, C_in, spatial…] with filters [C_out, C_in, k…]
/// (or [G, C_out/G, C_in/G, k…] grouped) → [N, C_out, out…]. Floating-point or integer inputs of one type.
/// </summary>
public sealed class ConvolutionOp : OpDefinition
{
    private readonly bool _grouped;

    public ConvolutionOp(string type, bool grouped)
        : base(type, 1, 2, 2)
    {
        _grouped = grouped;

        // GroupConvolution visits its attributes in another order than Convolution.
        AttributeSpecs = grouped
            ? [Strides, PadsBegin, PadsEnd, Dilations, AutoPad]
            : [Strides, Dilations, PadsBegin, PadsEnd, AutoPad];
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs { get; }

    internal static AttributeSpec Strides { get; } = AttributeSpec.Ints("strides");

    internal static AttributeSpec Dilations { get; } = AttributeSpec.Ints("dilations");

    internal static AttributeSpec PadsBegin { get; } = AttributeSpec.Ints("pads_begin");

    internal static AttributeSpec PadsEnd { get; } = AttributeSpec.Ints("pads_end");

    internal static AttributeSpec AutoPad { get; } = AttributeSpec.String("auto_pad", "explicit");

    /// <summary>Non-spatial filter axes: [C_out, C_in] or [G, C_out/G, C_in/G].</summary>
    private int FilterPrefix => _grouped ? 3 : 2;

    public override void Infer(InferenceContext context)
    {
        var type = ConvolutionChecks.CommonType(context);
        var window = WindowAttributes.Read(context, context.Attributes);
        var (data, filters) = ConvolutionChecks.Shapes(context, window.SpatialCount, FilterPrefix);

        var inputChannels = _grouped ? filters[0] * filters[2] : filters[1];
        ConvolutionChecks.RequireChannels(context, data[1], inputChannels, "input channels");
        var outputChannels = _grouped ? filters[0] * filters[1] : filters[0];

        var dims = new List<Dimension> { data[0], outputChannels };
        for (var i = 0; i < window.SpatialCount; i++)
        {
            var kernel = filters[FilterPrefix + i];
            if (!kernel.IsStatic)
            {
                dims.Add(Dimension.Dynamic);
                continue;
            }

            var length = SlidingWindow.ForwardOutput(data[2 + i], window.PadType, kernel.Length, window.Strides[i], window.Dilations[i], window.PadsBegin[i], window.PadsEnd[i], ceil: false)
                ?? throw context.Error($"the dilated kernel does not fit the padded input on spatial axis {i}");
            dims.Add(length);
        }

        context.SetOutput(0, type, PartialShape.Of(dims));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var filters = context.Input(1);
        var window = WindowAttributes.Read(null, context.Attributes);
        var outputShape = context.OutputShape(0);
        var groups = _grouped ? filters.Shape[0] : 1;
        var outputPerGroup = filters.Shape[FilterPrefix - 2];
        var inputPerGroup = filters.Shape[FilterPrefix - 1];
        var inputSpatial = data.Shape[2..];
        var kernel = filters.Shape[FilterPrefix..];
        var (padsBegin, padsEnd) = window.ForwardPads(inputSpatial, kernel);
        var map = new WindowMap(inputSpatial, outputShape[2..], kernel, window.Strides, window.Dilations, padsBegin, padsEnd);

        var x = data.ToDoubleArray();
        var w = filters.ToDoubleArray();
        var y = new double[ShapeMath.ElementCount(outputShape)];
        var inputPlane = (int)ShapeMath.ElementCount(inputSpatial);
        var taps = map.TapCount;
        var offsets = new int[taps];
        for (long n = 0; n < data.Shape[0]; n++)
        {
            for (var p = 0; p < map.PositionCount; p++)
            {
                map.Fill(p, offsets);
                for (long g = 0; g < groups; g++)
                {
                    for (long oc = 0; oc < outputPerGroup; oc++)
                    {
                        double sum = 0;
                        var filterBase = (g * outputPerGroup + oc) * inputPerGroup * taps;
                        for (long ic = 0; ic < inputPerGroup; ic++)
                        {
                            var dataBase = ((n * groups + g) * inputPerGroup + ic) * inputPlane;
                            var tapBase = filterBase + ic * taps;
                            for (var t = 0; t < taps; t++)
                            {
                                if (offsets[t] >= 0)
                                {
                                    sum += x[dataBase + offsets[t]] * w[tapBase + t];
                                }
                            }
                        }

                        y[((n * groups + g) * outputPerGroup + oc) * map.PositionCount + p] = sum;
                    }
                }
            }
        }

        return [Tensor.FromDoubles(data.Type, y, outputShape)];
    }
}

/// <summary>
/// ConvolutionBackpropData-1 and GroupConvolutionBackpropData-1 (transposed convolution): data
/// [N, C_in, spatial…] with filters [C_in, C_out, k…] (or [G, C_in/G, C_out/G, k…]) and an optional
/// 1-D output_shape (spatial only). Each input element adds data·filter into the output at
/// stride·i + dilation·k − pads_begin. Without output_shape the output length is
/// stride·(in − 1) + dilated kernel − pads + output_padding, with pads zero unless auto_pad is explicit;
/// with it, same_* modes derive the pads from the requested length.
/// </summary>
public sealed class ConvolutionBackpropDataOp : OpDefinition
{
    private static readonly AttributeSpec OutputPadding = AttributeSpec.Ints("output_padding", []);
    private readonly bool _grouped;

    public ConvolutionBackpropDataOp(string type, bool grouped)
        : base(type, 1, 2, 3)
    {
        _grouped = grouped;
        AttributeSpecs = grouped
            ? [ConvolutionOp.Strides, ConvolutionOp.PadsBegin, ConvolutionOp.PadsEnd, ConvolutionOp.Dilations, ConvolutionOp.AutoPad, OutputPadding]
            : [ConvolutionOp.Strides, ConvolutionOp.Dilations, ConvolutionOp.PadsBegin, ConvolutionOp.PadsEnd, ConvolutionOp.AutoPad, OutputPadding];
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs { get; }

    private int FilterPrefix => _grouped ? 3 : 2;

    public override void Infer(InferenceContext context)
    {
        var type = ConvolutionChecks.CommonType(context);
        var window = WindowAttributes.Read(context, context.Attributes);
        var outputPadding = WindowAttributes.OrZeros(context.Attributes.GetInts("output_padding"), window.SpatialCount);
        window.CheckLength(context, "output_padding", outputPadding);
        var (data, filters) = ConvolutionChecks.Shapes(context, window.SpatialCount, FilterPrefix);

        var inputChannels = _grouped ? filters[0] * filters[1] : filters[0];
        ConvolutionChecks.RequireChannels(context, data[1], inputChannels, "input channels");
        var outputChannels = _grouped ? filters[0] * filters[2] : filters[1];
        var dims = new List<Dimension> { data[0], outputChannels };

        if (context.InputCount == 3)
        {
            var shapeInput = context.InputShape(2);
            context.Require(context.InputType(2).IsInteger() || context.InputType(2) == ElementType.Dynamic, "output_shape must be integers");
            context.Require(!shapeInput.IsRankStatic || (shapeInput.Rank == 1 && shapeInput[0].Contains(window.SpatialCount)),
                $"output_shape must be 1-D with {window.SpatialCount} values (spatial axes only), not {shapeInput.ToDisplayString()}");
            var requested = context.InputAsShape(2);
            dims.AddRange(requested ?? PartialShape.DynamicOfRank(window.SpatialCount));
        }
        else
        {
            var explicitPads = window.PadType == PadType.Explicit;
            for (var i = 0; i < window.SpatialCount; i++)
            {
                var kernel = filters[FilterPrefix + i];
                dims.Add(kernel.IsStatic
                    ? SlidingWindow.BackpropOutput(data[2 + i], kernel.Length, window.Strides[i], window.Dilations[i],
                        explicitPads ? window.PadsBegin[i] : 0, explicitPads ? window.PadsEnd[i] : 0, outputPadding[i])
                    : Dimension.Dynamic);
            }
        }

        var output = PartialShape.Of(dims);
        context.Require(!output.Skip(2).Any(d => d.IsStatic && d.Length <= 0), $"the output spatial shape {output.ToDisplayString()} is empty");
        context.SetOutput(0, type, output);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var filters = context.Input(1);
        var window = WindowAttributes.Read(null, context.Attributes);
        var outputPadding = WindowAttributes.OrZeros(context.Attributes.GetInts("output_padding"), window.SpatialCount);
        var outputShape = context.OutputShape(0);
        var groups = _grouped ? filters.Shape[0] : 1;
        var inputPerGroup = filters.Shape[FilterPrefix - 2];
        var outputPerGroup = filters.Shape[FilterPrefix - 1];
        var inputSpatial = data.Shape[2..];
        var outputSpatial = outputShape[2..];
        var kernel = filters.Shape[FilterPrefix..];
        var padsBegin = new long[window.SpatialCount];
        var padsEnd = new long[window.SpatialCount];
        for (var i = 0; i < window.SpatialCount; i++)
        {
            (padsBegin[i], padsEnd[i]) = window.PadType switch
            {
                PadType.Explicit => (window.PadsBegin[i], window.PadsEnd[i]),
                PadType.SameUpper or PadType.SameLower when context.InputCount == 3 =>
                    SlidingWindow.BackpropPads(window.PadType, inputSpatial[i], kernel[i], window.Strides[i], window.Dilations[i], outputPadding[i], outputSpatial[i]),
                _ => (0L, 0L),
            };
        }

        // Windows sit on the input grid and scatter into the output grid.
        var map = new WindowMap(outputSpatial, inputSpatial, kernel, window.Strides, window.Dilations, padsBegin, padsEnd);
        var x = data.ToDoubleArray();
        var w = filters.ToDoubleArray();
        var y = new double[ShapeMath.ElementCount(outputShape)];
        var outputPlane = (int)ShapeMath.ElementCount(outputSpatial);
        var taps = map.TapCount;
        var offsets = new int[taps];
        for (long n = 0; n < data.Shape[0]; n++)
        {
            for (var p = 0; p < map.PositionCount; p++)
            {
                map.Fill(p, offsets);
                for (long g = 0; g < groups; g++)
                {
                    for (long ic = 0; ic < inputPerGroup; ic++)
                    {
                        var value = x[((n * groups + g) * inputPerGroup + ic) * map.PositionCount + p];
                        for (long oc = 0; oc < outputPerGroup; oc++)
                        {
                            var tapBase = ((g * inputPerGroup + ic) * outputPerGroup + oc) * taps;
                            var outputBase = ((n * groups + g) * outputPerGroup + oc) * outputPlane;
                            for (var t = 0; t < taps; t++)
                            {
                                if (offsets[t] >= 0)
                                {
                                    y[outputBase + offsets[t]] += value * w[tapBase + t];
                                }
                            }
                        }
                    }
                }
            }
        }

        return [Tensor.FromDoubles(data.Type, y, outputShape)];
    }
}

/// <summary>Input checks the convolution ops share.</summary>
internal static class ConvolutionChecks
{
    /// <summary>The element type data and filters share (numeric, equal unless one is dynamic).</summary>
    public static ElementType CommonType(InferenceContext context)
    {
        var data = context.InputType(0);
        var filters = context.InputType(1);
        context.Require(data == ElementType.Dynamic || data.IsNumeric(), $"does not accept {data.IrName()} data");
        context.Require(data == ElementType.Dynamic || filters == ElementType.Dynamic || data == filters,
            $"data is {data.IrName()} but filters are {filters.IrName()}");
        return data == ElementType.Dynamic ? filters : data;
    }

    /// <summary>Data and filter shapes with static ranks (dynamic dims where a rank is unknown), checked against the spatial count.</summary>
    public static (PartialShape Data, PartialShape Filters) Shapes(InferenceContext context, int spatial, int filterPrefix)
    {
        var data = context.InputShape(0);
        var filters = context.InputShape(1);
        context.Require(!data.IsRankStatic || data.Rank == spatial + 2,
            $"data {data.ToDisplayString()} must have rank {spatial + 2} for {spatial} spatial axes");
        context.Require(!filters.IsRankStatic || filters.Rank == spatial + filterPrefix,
            $"filters {filters.ToDisplayString()} must have rank {spatial + filterPrefix} for {spatial} spatial axes");
        return (data.IsRankStatic ? data : PartialShape.DynamicOfRank(spatial + 2),
            filters.IsRankStatic ? filters : PartialShape.DynamicOfRank(spatial + filterPrefix));
    }

    public static void RequireChannels(InferenceContext context, Dimension actual, Dimension expected, string what) =>
        context.Require(actual.IsCompatible(expected), $"data has {actual} {what} but the filters expect {expected}");
}

/// <summary>The convolution ops.</summary>
public static class ConvolutionOps
{
    public static readonly OpDefinition Convolution = new ConvolutionOp("Convolution", grouped: false);
    public static readonly OpDefinition GroupConvolution = new ConvolutionOp("GroupConvolution", grouped: true);
    public static readonly OpDefinition ConvolutionBackpropData = new ConvolutionBackpropDataOp("ConvolutionBackpropData", grouped: false);
    public static readonly OpDefinition GroupConvolutionBackpropData = new ConvolutionBackpropDataOp("GroupConvolutionBackpropData", grouped: true);
}
