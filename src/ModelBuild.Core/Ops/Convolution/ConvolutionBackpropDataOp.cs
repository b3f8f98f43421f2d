using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

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
        : base(type, version: 1, minInputs: 2, maxInputs: 3)
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

    /// <summary>Each input element spreads over one filter's taps and output channels.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var data = context.Input(0);
        return data.Rank < 2 || data.Shape[1] == 0 ? 0 : EvaluationBudget.Product(data.ElementCount, context.Input(1).ElementCount / data.Shape[1]);
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
