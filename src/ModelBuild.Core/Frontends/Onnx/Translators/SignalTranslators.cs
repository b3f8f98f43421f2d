using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// DFT, STFT, the Hann/Hamming/Blackman windows and MelWeightMatrix. Transforms use DFT/IDFT-7 and
/// RDFT-9; STFT frames the signal with a Gather first. Windows and the mel matrix have no OpenVINO
/// op and are computed from Range, as the ONNX function bodies define them (constants when the
/// sizes are).
/// </summary>
public static class SignalTranslators
{
    /// <summary>DFT-17: the axis is an attribute (default 1).</summary>
    public static IReadOnlyList<Output> DftV17(OnnxNodeContext context)
    {
        var x = SignalInput(context);
        return [Dft(context, x, context.GetInt("axis", 1))];
    }

    /// <summary>DFT-20 and later: the axis is an optional input (default −2).</summary>
    public static IReadOnlyList<Output> DftV20(OnnxNodeContext context)
    {
        var x = SignalInput(context);
        var axis = context.HasInput(2) ? context.RequireConstantInput(2, "axis").GetInt64(0) : -2;
        return [Dft(context, x, axis)];
    }

    /// <summary>
    /// STFT-17: frames of frame_length every frame_step samples (Gather with a [frames, length]
    /// index grid), multiplied by the window, transformed along the frame axis.
    /// </summary>
    public static IReadOnlyList<Output> Stft(OnnxNodeContext context)
    {
        var b = context.Graph;
        var signal = context.Input(0);
        if (!signal.Shape.IsRankStatic || signal.Shape.Rank != 3)
        {
            throw context.Error("the signal must be [batch, length, 1 or 2]");
        }

        var step = b.Convert(context.Input(1), ElementType.I64);
        var window = context.OptionalInput(2);
        var frameLength = context.OptionalInput(3) is { } given
            ? b.Convert(given, ElementType.I64)
            : window is { } w ? b.Gather(b.ShapeOf(w), b.Int64(0), 0) : throw context.Error("either window or frame_length is required");
        var signalLength = b.Gather(b.ShapeOf(signal), b.Int64(1), 0);
        var frames = b.Add(b.Divide(b.Subtract(signalLength, frameLength), step), b.Int64(1));
        var starts = b.Multiply(b.Range(frames), step);
        var grid = b.Add(b.Unsqueeze(starts, 1), b.Unsqueeze(b.Range(frameLength), 0));
        var framed = b.Gather(signal, grid, 1);
        if (window is { } weights)
        {
            framed = b.Multiply(framed, b.Unsqueeze(b.Convert(weights, signal.Type), 1));
        }

        return [Transform(context, framed, 2, null, inverse: false, context.GetInt("onesided", 1) != 0)];
    }

    public static IReadOnlyList<Output> HannWindow(OnnxNodeContext context) => CosineWindow(context, [0.5, 0.5]);

    public static IReadOnlyList<Output> HammingWindow(OnnxNodeContext context) => CosineWindow(context, [25.0 / 46.0, 21.0 / 46.0]);

    public static IReadOnlyList<Output> BlackmanWindow(OnnxNodeContext context) => CosineWindow(context, [0.42, 0.5, 0.08]);

    /// <summary>
    /// MelWeightMatrix-17: triangular filters between mel-spaced frequency bins, [dft_length // 2 + 1,
    /// num_mel_bins]. Filter i rises from bin l = f[i] to its center c = f[i+1] and falls to
    /// h = f[i+2]: (j − l)/(c − l) on [l, c), 1 at c, (h − j)/(h − c) on (c, h), 0 elsewhere.
    /// </summary>
    public static IReadOnlyList<Output> MelWeightMatrix(OnnxNodeContext context)
    {
        var b = context.Graph;
        var melBins = b.Convert(context.Input(0), ElementType.I64);
        var dftLength = b.Convert(context.Input(1), ElementType.I64);
        var sampleRate = F32(b, context.Input(2));
        var lowMel = HertzToMel(b, F32(b, context.Input(3)));
        var highMel = HertzToMel(b, F32(b, context.Input(4)));

        // num_mel_bins + 2 points evenly spaced in mel, converted back to hertz and to FFT bins.
        var points = b.Add(melBins, b.Int64(2));
        var step = b.Divide(b.Subtract(highMel, lowMel), F32(b, points));
        var mels = b.Add(b.Multiply(F32(b, b.Range(points)), step), lowMel);
        var powerOfTen = b.Make(ActivationOps.Exp, [b.Multiply(b.Divide(mels, Scalar(b, 2595)), Scalar(b, Math.Log(10)))]);
        var hertz = b.Multiply(Scalar(b, 700), b.Subtract(powerOfTen, Scalar(b, 1)));
        var scaled = b.Multiply(F32(b, b.Add(dftLength, b.Int64(1))), hertz);
        var frequencyBins = b.Convert(b.Make(ArithmeticOps.Floor, [b.Divide(scaled, sampleRate)]), ElementType.I64);

        var filters = b.Range(melBins);
        var low = b.Unsqueeze(b.Gather(frequencyBins, filters, 0), 0);
        var center = b.Unsqueeze(b.Gather(frequencyBins, b.Add(filters, b.Int64(1)), 0), 0);
        var high = b.Unsqueeze(b.Gather(frequencyBins, b.Add(filters, b.Int64(2)), 0), 0);
        var spectrogramBins = b.Add(b.Divide(dftLength, b.Int64(2)), b.Int64(1));
        var j = b.Unsqueeze(b.Range(spectrogramBins), 1);

        var rising = b.Divide(F32(b, b.Subtract(j, low)), F32(b, b.Subtract(center, low)));
        var falling = b.Divide(F32(b, b.Subtract(high, j)), F32(b, b.Subtract(high, center)));
        var onRise = b.Make(LogicalOps.LogicalAnd, [b.Make(ComparisonOps.GreaterEqual, [j, low]), b.Make(ComparisonOps.Less, [j, center])]);
        var onFall = b.Make(LogicalOps.LogicalAnd, [b.Make(ComparisonOps.Greater, [j, center]), b.Make(ComparisonOps.Less, [j, high])]);
        var weights = b.Select(b.Make(ComparisonOps.Equal, [j, center]), Scalar(b, 1),
            b.Select(onRise, rising, b.Select(onFall, falling, Scalar(b, 0))));
        return [b.Convert(weights, OutputType(context))];
    }

    /// <summary>
    /// A 1-D transform along <paramref name="axis"/> of x = [..., 1 or 2] (real or complex): real
    /// one-sided forward transforms are RDFT; everything else is a complex DFT/IDFT whose first
    /// length // 2 + 1 frequencies are kept when one-sided.
    /// </summary>
    /// <summary>The signal, which must have a known rank.</summary>
    private static Output SignalInput(OnnxNodeContext context)
    {
        var x = context.Input(0);
        if (!x.Shape.IsRankStatic)
        {
            throw context.Error("the input rank must be known");
        }

        return x;
    }

    private static Output Dft(OnnxNodeContext context, Output x, long axis)
    {
        var rank = x.Shape.Rank;
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized > rank - 2)
        {
            throw context.Error($"axis {axis} is not a signal axis of a rank-{rank} input");
        }

        return Transform(context, x, (int)normalized, context.OptionalInput(1), context.GetInt("inverse", 0) != 0, context.GetInt("onesided", 0) != 0);
    }

    private static Output Transform(OnnxNodeContext context, Output x, int axis, Output? length, bool inverse, bool onesided)
    {
        var b = context.Graph;
        var rank = x.Shape.Rank;
        var last = x.Shape[rank - 1];
        if (!last.IsStatic || last.Length is not (1 or 2))
        {
            throw context.Error($"the last dimension must be 1 (real) or 2 (complex), not {last}");
        }

        var axes = b.Int64s(axis);
        var signalSize = length is { } given ? b.Reshape(b.Convert(given, ElementType.I64), 1) : (Output?)null;
        List<Output> Inputs(Output data) => signalSize is { } size ? [data, axes, size] : [data, axes];
        if (last.Length == 1 && !inverse && onesided)
        {
            return b.Make(SignalOps.Rdft, Inputs(b.Squeeze(x, rank - 1)));
        }

        var complex = last.Length == 2 ? x : b.Concat([x, b.Broadcast(b.ScalarLike(x, 0), b.ShapeOf(x))], rank - 1);
        var transformed = b.Make(inverse ? SignalOps.Idft : SignalOps.Dft, Inputs(complex));
        if (!onesided)
        {
            return transformed;
        }

        var half = b.Add(b.Divide(b.Gather(b.ShapeOf(transformed), b.Int64(axis), 0), b.Int64(2)), b.Int64(1));
        return b.Gather(transformed, b.Range(half), axis);
    }

    /// <summary>
    /// Σ (−1)^k · a_k · cos(k · 2πn / N) for n in [0, size), with N = size (periodic) or size − 1
    /// (symmetric), in the order of operations of the ONNX function bodies.
    /// </summary>
    private static IReadOnlyList<Output> CosineWindow(OnnxNodeContext context, double[] coefficients)
    {
        var b = context.Graph;
        var size = b.Convert(context.Input(0), ElementType.I64);
        var periodic = context.GetInt("periodic", 1) != 0;
        var denominator = periodic ? F32(b, size) : b.Subtract(F32(b, size), Scalar(b, 1));
        var increment = b.Divide(Scalar(b, 2 * Math.PI), denominator);
        var angle = b.Multiply(F32(b, b.Range(size)), increment);
        var window = Scalar(b, coefficients[0]);
        for (var k = 1; k < coefficients.Length; k++)
        {
            var harmonic = k == 1 ? angle : b.Multiply(angle, Scalar(b, k));
            var term = b.Multiply(Scalar(b, coefficients[k]), b.Make(ArithmeticOps.Cos, [harmonic]));
            window = k % 2 == 1 ? b.Subtract(window, term) : b.Add(window, term);
        }

        return [b.Convert(window, OutputType(context))];
    }

    private static ElementType OutputType(OnnxNodeContext context) => OnnxTensors.ToElementType((int)context.GetInt("output_datatype", 1));

    /// <summary>2595 · log10(1 + f / 700).</summary>
    private static Output HertzToMel(GraphBuilder b, Output hertz)
    {
        var log = b.Make(ArithmeticOps.Log, [b.Add(Scalar(b, 1), b.Divide(hertz, Scalar(b, 700)))]);
        return b.Multiply(Scalar(b, 2595), b.Divide(log, Scalar(b, Math.Log(10))));
    }

    private static Output F32(GraphBuilder b, Output value) => b.Convert(value, ElementType.F32);

    private static Output Scalar(GraphBuilder b, double value) => b.Scalar(ElementType.F32, value);
}
