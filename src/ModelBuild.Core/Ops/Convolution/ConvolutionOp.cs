using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Convolution-1 and GroupConvolution-1: data [N, C_in, spatial…] with filters [C_out, C_in, k…]
/// (or [G, C_out/G, C_in/G, k…] grouped) → [N, C_out, out…]. Floating-point or integer inputs of one type.
/// </summary>
public sealed class ConvolutionOp : OpDefinition
{
    private readonly bool _grouped;

    public ConvolutionOp(string type, bool grouped)
        : base(type, version: 1, minInputs: 2, maxInputs: 2)
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

    /// <summary>Each output element sums one filter's taps over its group's input channels.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var output = context.OutputShape(0);
        var filters = context.Input(1);
        return output.Length < 2 || output[1] == 0 ? 0 : EvaluationBudget.Product(ShapeMath.ElementCount(output), filters.ElementCount / output[1]);
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
