using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Pooling: MaxPool and AveragePool map to OpenVINO MaxPool-8 and AvgPool-1; the global pools
/// are reductions over the spatial axes. OpenVINO has no LpPool and no dilated AvgPool-1, so those
/// sum windows with a ones-kernel Convolution.
/// </summary>
public static class PoolingTranslators
{
    /// <summary>
    /// MaxPool: MaxPool-8 (indices counted over the whole tensor, axis 0). With storage_order 1 the
    /// Indices output is asked for in column-major order over the spatial axes, so the row-major
    /// indices OpenVINO computes are converted.
    /// </summary>
    public static IReadOnlyList<Output> MaxPool(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var kernel = Kernel(context);
        var (window, rounding, _) = OnnxCeil(x, kernel, OnnxWindow.Read(context, kernel.Length), Rounding(context));
        var outputs = b.MakeMulti(PoolingOps.MaxPool, [x],
            ("strides", window.Strides), ("dilations", window.Dilations), ("pads_begin", window.PadsBegin), ("pads_end", window.PadsEnd),
            ("kernel", kernel), ("rounding_type", rounding), ("auto_pad", window.AutoPad),
            ("index_element_type", ElementType.I64), ("axis", 0L));
        if (!context.IsOutputUsed(1))
        {
            return [outputs[0]];
        }

        var indices = context.GetInt("storage_order", 0) == 0 ? outputs[1] : ColumnMajorIndices(b, x, outputs[1], kernel.Length);
        return [outputs[0], indices];
    }

    /// <summary>
    /// AveragePool: AvgPool-1 with exclude-pad = !count_include_pad. Dilations (opset 19) have no
    /// AvgPool-1 form, and with count_include_pad a ceil window reaching past the end pad counts that
    /// overhang in OpenVINO's AvgPool (the TEMPLATE plugin divides by the whole kernel) but not in ONNX:
    /// the window sums and element counts then come from ones-kernel convolutions.
    /// </summary>
    public static IReadOnlyList<Output> AveragePool(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var kernel = Kernel(context);
        var window = OnnxWindow.Read(context, kernel.Length);
        var includePad = context.GetInt("count_include_pad", 0) != 0;
        var (pooled, rounding, overhangs) = OnnxCeil(x, kernel, window, Rounding(context));
        if (Array.TrueForAll(window.Dilations, d => d == 1) && !(includePad && overhangs))
        {
            return
            [
                b.Make(PoolingOps.AvgPool, [x], ("kernel", kernel), ("strides", pooled.Strides), ("pads_begin", pooled.PadsBegin),
                    ("pads_end", pooled.PadsEnd), ("exclude-pad", !includePad), ("auto_pad", pooled.AutoPad), ("rounding_type", rounding)),
            ];
        }

        var sums = new WindowSums(context, x, kernel, window);
        return [sums.Restore(b.Divide(sums.Sum(sums.Planes), sums.Counts(includePad)))];
    }

    /// <summary>LpPool-1: p is a float attribute.</summary>
    public static IReadOnlyList<Output> LpPoolV1(OnnxNodeContext context) => LpPool(context, FloatP);

    /// <summary>LpPool-2 and later: p is an integer attribute.</summary>
    public static IReadOnlyList<Output> LpPoolV2(OnnxNodeContext context) => LpPool(context, IntegerP);

    /// <summary>
    /// MaxUnpool: each pooled value goes back to the position its MaxPool index names, zeros elsewhere —
    /// a ScatterElementsUpdate into a flat zero tensor of the unpooled shape, per spatial axis
    /// (in − 1)·stride + kernel − pad_begin − pad_end. The indices count positions in that shape; a
    /// larger output_shape keeps them top-left and fills the rest with zeros (as ONNX Runtime does).
    /// </summary>
    public static IReadOnlyList<Output> MaxUnpool(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var shape = UnpooledShape(context, x, Kernel(context));
        var count = b.Make(ReductionOps.ReduceProd, [shape, b.Int64s(0)], ("keep_dims", true));
        var zeros = b.Broadcast(b.ScalarLike(x, 0), count);
        var scattered = b.Make(MovementOps.ScatterElementsUpdate,
            [zeros, b.Reshape(b.Convert(context.Input(1), ElementType.I64), -1), b.Reshape(x, -1), b.Int64(0)],
            ("reduction", "none"), ("use_init_val", true));
        var unpooled = b.Reshape(scattered, shape);
        if (!context.HasInput(2))
        {
            return [unpooled];
        }

        var requested = b.Convert(context.Input(2), ElementType.I64);
        var begin = b.Multiply(shape, b.Int64s(0));
        return [b.Make(MovementOps.Pad, [unpooled, begin, b.Subtract(requested, shape), b.ScalarLike(x, 0)], ("pad_mode", "constant"))];
    }

    public static IReadOnlyList<Output> GlobalAveragePool(OnnxNodeContext context) => [GlobalReduce(context, ReductionOps.ReduceMean)];

    public static IReadOnlyList<Output> GlobalMaxPool(OnnxNodeContext context) => [GlobalReduce(context, ReductionOps.ReduceMax)];

    /// <summary>GlobalLpPool-1: p is a float attribute.</summary>
    public static IReadOnlyList<Output> GlobalLpPoolV1(OnnxNodeContext context) => GlobalLpPool(context, FloatP(context));

    /// <summary>GlobalLpPool-2 and later: p is an integer attribute.</summary>
    public static IReadOnlyList<Output> GlobalLpPoolV2(OnnxNodeContext context) => GlobalLpPool(context, IntegerP(context));

    /// <summary>LpPool: (Σ |x|^p)^(1/p) over each window, padding counting as zero.</summary>
    private static IReadOnlyList<Output> LpPool(OnnxNodeContext context, Func<OnnxNodeContext, double> readP)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var kernel = Kernel(context);
        var sums = new WindowSums(context, x, kernel, OnnxWindow.Read(context, kernel.Length));
        var p = readP(context);
        var powered = b.Make(ArithmeticOps.Power, [b.Make(ArithmeticOps.Abs, [sums.Planes]), b.ScalarLike(x, p)]);
        return [sums.Restore(b.Make(ArithmeticOps.Power, [sums.Sum(powered), b.ScalarLike(x, 1 / p)]))];
    }

    /// <summary>GlobalLpPool: ReduceL1/ReduceL2 over the spatial axes, or (Σ |x|^p)^(1/p) for other p.</summary>
    private static IReadOnlyList<Output> GlobalLpPool(OnnxNodeContext context, double p)
    {
        if (p is 1 or 2)
        {
            return [GlobalReduce(context, p == 1 ? ReductionOps.ReduceL1 : ReductionOps.ReduceL2)];
        }

        var b = context.Graph;
        var x = context.Input(0);
        var powered = b.Make(ArithmeticOps.Power, [b.Make(ArithmeticOps.Abs, [x]), b.ScalarLike(x, p)]);
        var sum = b.Make(ReductionOps.ReduceSum, [powered, SpatialAxes(context, x)], ("keep_dims", true));
        return [b.Make(ArithmeticOps.Power, [sum, b.ScalarLike(x, 1 / p)])];
    }

    private static Output GlobalReduce(OnnxNodeContext context, OpDefinition reduction)
    {
        var x = context.Input(0);
        return context.Graph.Make(reduction, [x, SpatialAxes(context, x)], ("keep_dims", true));
    }

    private static Output SpatialAxes(OnnxNodeContext context, Output x)
    {
        if (!x.Shape.IsRankStatic)
        {
            throw context.Error("global pooling needs an input of static rank");
        }

        return context.Graph.Int64s(Enumerable.Range(2, x.Shape.Rank - 2).Select(i => (long)i).ToArray());
    }

    // [N, C, (in − 1)·stride + kernel − pads...], computed in the graph so dynamic spatial dims work.
    private static Output UnpooledShape(OnnxNodeContext context, Output x, long[] kernel)
    {
        var b = context.Graph;
        var spatial = kernel.Length;
        var strides = context.GetInts("strides", Enumerable.Repeat(1L, spatial).ToArray());
        var pads = context.GetInts("pads", new long[2 * spatial]);
        var shape = b.ShapeOf(x);
        var inputSpatial = b.Gather(shape, b.Int64Range(2, spatial), 0);
        var offsets = Enumerable.Range(0, spatial).Select(i => kernel[i] - strides[i] - pads[i] - pads[i + spatial]).ToArray();
        var outputSpatial = b.Add(b.Multiply(inputSpatial, b.Int64s(strides)), b.Int64s(offsets));
        return b.Concat([b.Gather(shape, b.Int64s(0, 1), 0), outputSpatial], 0);
    }

    private static long[] Kernel(OnnxNodeContext context) =>
        context.GetInts("kernel_shape") ?? throw context.Error("attribute 'kernel_shape' is required");

    private static string Rounding(OnnxNodeContext context) => context.GetInt("ceil_mode", 0) != 0 ? "ceil" : "floor";

    /// <summary>
    /// ceil_mode as ONNX means it (ONNX Runtime and PyTorch alike): a last window that would start in the end padding is
    /// dropped, where OpenVINO's ceil rounding keeps it. When that happens on a static spatial shape, the window becomes
    /// floor rounding over explicit pads whose end holds exactly the windows kept. Overhangs: a kept window reaches past
    /// the end pad (known on a static spatial shape only).
    /// </summary>
    private static (OnnxWindow Window, string Rounding, bool Overhangs) OnnxCeil(Output x, long[] kernel, OnnxWindow window, string rounding)
    {
        if (rounding != "ceil" || !x.Shape.IsRankStatic || x.Shape.Rank != kernel.Length + 2 || !x.Shape.Skip(2).All(d => d.IsStatic))
        {
            return (window, rounding, false);
        }

        var type = SlidingWindow.ParsePadType(window.AutoPad);
        var begin = new long[kernel.Length];
        var end = new long[kernel.Length];
        var dropped = false;
        var overhangs = false;
        for (var i = 0; i < kernel.Length; i++)
        {
            var input = x.Shape[i + 2].Length;
            var stride = window.Strides[i];
            var reach = SlidingWindow.Dilated(kernel[i], window.Dilations[i]);
            (begin[i], end[i]) = SlidingWindow.ForwardPads(type, input, kernel[i], stride, window.Dilations[i], window.PadsBegin[i], window.PadsEnd[i]);
            var span = input + begin[i] + end[i] - reach;
            if (span < 0)
            {
                return (window, rounding, false);
            }

            var count = ((span + stride - 1) / stride) + 1;
            if (IsDroppedCeilWindow(count, stride, input, begin[i]))
            {
                count--;
                dropped = true;
            }

            // Floor rounding gives `count` windows for any end pad in [needed, needed + stride - 1].
            var needed = ((count - 1) * stride) + reach - input - begin[i];
            overhangs |= needed > end[i];
            end[i] = Math.Clamp(end[i], Math.Max(0, needed), needed + stride - 1);
        }

        return dropped ? (window with { PadsBegin = begin, PadsEnd = end, AutoPad = "explicit" }, "floor", overhangs) : (window, rounding, overhangs);
    }

    /// <summary>ONNX (like PyTorch) drops the last of <paramref name="count"/> ceil windows when it would start in the end padding.</summary>
    private static bool IsDroppedCeilWindow(long count, long stride, long input, long padBegin) =>
        count > 1 && (count - 1) * stride >= input + padBegin;

    private static double FloatP(OnnxNodeContext context) => context.GetFloat("p", 2f);

    private static double IntegerP(OnnxNodeContext context) => context.GetInt("p", 2);

    /// <summary>
    /// Row-major flat indices → the same elements' indices with the spatial axes in column-major
    /// order (batch and channel offsets unchanged): split the offset within the spatial plane into
    /// coordinates, then recombine them with the first spatial axis varying fastest.
    /// </summary>
    private static Output ColumnMajorIndices(GraphBuilder b, Output x, Output indices, int spatial)
    {
        var shape = b.ShapeOf(x);
        var dims = Enumerable.Range(2, spatial).Select(axis => b.Gather(shape, b.Int64(axis), 0)).ToArray();
        var plane = dims.Aggregate(b.Multiply);
        var offset = b.Make(ArithmeticOps.FloorMod, [indices, plane]);
        var result = b.Subtract(indices, offset);
        var weights = new Output[spatial];
        weights[0] = b.Int64(1);
        for (var axis = 1; axis < spatial; axis++)
        {
            weights[axis] = b.Multiply(weights[axis - 1], dims[axis - 1]);
        }

        for (var axis = spatial - 1; axis >= 0; axis--)
        {
            var coordinate = b.Make(ArithmeticOps.FloorMod, [offset, dims[axis]]);
            offset = b.Divide(offset, dims[axis]);
            result = b.Add(result, b.Multiply(coordinate, weights[axis]));
        }

        return result;
    }

    /// <summary>
    /// Window sums by convolution: the input viewed as [N·C, 1, spatial…] planes convolved with a
    /// ones kernel. Pads are made explicit (static spatial shape needed) and ceil rounding becomes
    /// extra zero padding at the end, so every ONNX window is one convolution window.
    /// </summary>
    private sealed class WindowSums
    {
        private readonly OnnxNodeContext _context;
        private readonly Output _input;
        private readonly long[] _kernel;
        private readonly long[] _spatial;
        private readonly long[] _outputSpatial;
        private readonly long[] _padsBegin;
        private readonly long[] _padsEnd;
        private readonly long[] _overhang;
        private readonly OnnxWindow _window;

        public WindowSums(OnnxNodeContext context, Output x, long[] kernel, OnnxWindow window)
        {
            if (!x.Shape.IsRankStatic || x.Shape.Rank != kernel.Length + 2 || !x.Shape.Skip(2).All(d => d.IsStatic))
            {
                throw context.Error($"{context.OpType} with these attributes needs an input of static spatial shape with {kernel.Length} spatial axes, not {x.Shape.ToDisplayString()}");
            }

            _context = context;
            _input = x;
            _kernel = kernel;
            _window = window;
            _spatial = x.Shape.Skip(2).Select(d => d.Length).ToArray();
            var ceil = context.GetInt("ceil_mode", 0) != 0;
            var type = SlidingWindow.ParsePadType(window.AutoPad);
            _padsBegin = new long[kernel.Length];
            _padsEnd = new long[kernel.Length];
            _outputSpatial = new long[kernel.Length];
            _overhang = new long[kernel.Length];
            for (var i = 0; i < kernel.Length; i++)
            {
                (_padsBegin[i], _padsEnd[i]) = SlidingWindow.ForwardPads(type, _spatial[i], kernel[i], window.Strides[i], window.Dilations[i], window.PadsBegin[i], window.PadsEnd[i]);
                var output = SlidingWindow.ForwardOutput(_spatial[i], PadType.Explicit, kernel[i], window.Strides[i], window.Dilations[i], _padsBegin[i], _padsEnd[i], ceil)
                    ?? throw context.Error($"the dilated kernel does not fit the padded input on spatial axis {i}");
                _outputSpatial[i] = ceil && IsDroppedCeilWindow(output.Length, window.Strides[i], _spatial[i], _padsBegin[i]) ? output.Length - 1 : output.Length;
                var reach = (_outputSpatial[i] - 1) * window.Strides[i] + SlidingWindow.Dilated(kernel[i], window.Dilations[i]);
                _overhang[i] = Math.Max(0, reach - (_spatial[i] + _padsBegin[i] + _padsEnd[i]));
            }

            Planes = context.Graph.Reshape(x, [-1, 1, .. _spatial]);
        }

        /// <summary>The input as [N·C, 1, spatial…].</summary>
        public Output Planes { get; }

        /// <summary>Window sums of a planes-shaped tensor (zero padding).</summary>
        public Output Sum(Output planes) => Convolve(planes, _padsBegin, _padsEnd.Zip(_overhang, (p, o) => p + o).ToArray());

        /// <summary>
        /// Elements per window as a constant [1, 1, out…]: input elements only, or (include padding)
        /// every element of the padded input the window covers — never the ceil overhang.
        /// </summary>
        public Output Counts(bool includePadding)
        {
            var grid = includePadding ? _spatial.Select((s, i) => s + _padsBegin[i] + _padsEnd[i]).ToArray() : _spatial;
            var ones = Ones(_input.Type, [1, 1, .. grid]);
            return includePadding
                ? Convolve(ones, new long[_kernel.Length], _overhang)
                : Convolve(ones, _padsBegin, _padsEnd.Zip(_overhang, (p, o) => p + o).ToArray());
        }

        /// <summary>[N·C, 1, out…] back to [N, C, out…].</summary>
        public Output Restore(Output planes)
        {
            var b = _context.Graph;
            var batchAndChannels = b.Gather(b.ShapeOf(_input), b.Int64s(0, 1), 0);
            return b.Reshape(planes, b.Concat([batchAndChannels, b.Int64s(_outputSpatial)], 0));
        }

        private Output Convolve(Output planes, long[] padsBegin, long[] padsEnd) =>
            _context.Graph.Make(ConvolutionOps.Convolution, [planes, Ones(_input.Type, [1, 1, .. _kernel])],
                ("strides", _window.Strides), ("dilations", _window.Dilations), ("pads_begin", padsBegin), ("pads_end", padsEnd), ("auto_pad", "explicit"));

        private Output Ones(ElementType type, long[] shape)
        {
            var values = new double[ShapeMath.ElementCount(shape)];
            Array.Fill(values, 1.0);
            return _context.Graph.Constant(Tensor.FromDoubles(type, values, shape));
        }
    }
}
