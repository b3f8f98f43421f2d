using System.Numerics;
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
        var inputSpatial = data.Shape[2..];
        var kernel = filters.Shape[FilterPrefix..];
        var (padsBegin, padsEnd) = window.ForwardPads(inputSpatial, kernel);
        var outputShape = context.OutputShape(0);
        var map = new WindowMap(inputSpatial, outputShape[2..], kernel, window.Strides, window.Dilations, padsBegin, padsEnd);
        var convolution = new Forward(data, filters, outputShape, new Im2Col(map, (int)ShapeMath.ElementCount(inputSpatial)),
            Groups: _grouped ? (int)filters.Shape[0] : 1, OutputPerGroup: (int)filters.Shape[FilterPrefix - 2], InputPerGroup: (int)filters.Shape[FilterPrefix - 1]);
        return [Gemm.Dispatch<Forward, Tensor>(data.Type, convolution)];
    }

    /// <summary>
    /// The convolution as matrix products, per image and group: filters [C_out/G × C_in/G·taps] times the im2col
    /// columns of the group's input channels [C_in/G·taps × positions] give the group's output planes. The columns
    /// are built for a chunk of output positions at a time, so their size stays bounded on large images.
    /// </summary>
    private readonly record struct Forward(Tensor Data, Tensor Filters, long[] OutputShape, Im2Col Columns, int Groups, int OutputPerGroup, int InputPerGroup)
        : IProductComputation<Tensor>
    {
        public Tensor Invoke<T>()
            where T : unmanaged, INumber<T>
        {
            var x = Gemm.Operand<T>(Data);
            var w = Gemm.Operand<T>(Filters);
            var y = new T[ShapeMath.ElementCount(OutputShape)];
            var positions = Columns.Positions;
            var inputPlane = (int)ShapeMath.ElementCount(Data.Shape.AsSpan(2));
            var depth = InputPerGroup * Columns.Taps;
            var chunk = Columns.ChunkLength(depth);
            var columns = Columns.IsIdentity ? [] : new T[depth * Math.Min(chunk, positions)];
            for (var n = 0; n < Data.Shape[0]; n++)
            {
                for (var g = 0; g < Groups; g++)
                {
                    var input = (n * Groups + g) * InputPerGroup * inputPlane;
                    var filters = new MatrixView<T>(w, g * OutputPerGroup * depth, RowStride: depth);
                    var output = new MatrixView<T>(y, (n * Groups + g) * OutputPerGroup * positions, RowStride: positions);
                    if (Columns.IsIdentity)
                    {
                        Gemm.MultiplyParallel(OutputPerGroup, positions, depth, filters, new MatrixView<T>(x, input, RowStride: inputPlane), output);
                        continue;
                    }

                    for (var first = 0; first < positions; first += chunk)
                    {
                        var count = Math.Min(chunk, positions - first);
                        Columns.Gather(x, input, InputPerGroup, inputPlane, columns, first, count);
                        Gemm.MultiplyParallel(OutputPerGroup, count, depth, filters, new MatrixView<T>(columns, 0, RowStride: count), output.At(0, first));
                    }
                }
            }

            return Gemm.Result(Data.Type, OutputShape, y);
        }
    }
}
