using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

/// <summary>DFT, STFT, windows and MelWeightMatrix forms beyond the backend tests; spectra worked out by hand.</summary>
public sealed class SignalTranslatorsTests
{
    // The DFT of [1, 2, 3, 4] is [10, −2 + 2i, −2, −2 − 2i].
    private static readonly Tensor RealSignal = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4, 1);

    [Fact]
    public void Dft_20_takes_the_axis_as_an_input_and_returns_the_full_spectrum()
    {
        var onnx = new OnnxGraphBuilder(opset: 20)
            .Input("x", ElementType.F32, 1, 4, 1)
            .Initializer("axis", Tensor.FromArray([1L], []))
            .Node("DFT", ["x", "", "axis"], ["y"])
            .Output("y", ElementType.F32, 1, 4, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, RealSignal)[0];

        AssertClose([10f, 0f, -2f, 2f, -2f, 0f, -2f, -2f], y);
    }

    [Fact]
    public void Onesided_real_dft_keeps_half_the_frequencies_and_dft_length_trims()
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .Input("x", ElementType.F32, 1, 4, 1)
            .Initializer("length", Tensor.FromArray([2L], []))
            .Node("DFT", ["x"], ["half"], Int("onesided", 1))
            .Node("DFT", ["x", "length"], ["trimmed"])
            .Output("half", ElementType.F32, 1, 3, 2).Output("trimmed", ElementType.F32, 1, 2, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, RealSignal);

        AssertClose([10f, 0f, -2f, 2f, -2f, 0f], outputs[0]);

        // Only [1, 2] is transformed: [3, −1].
        AssertClose([3f, 0f, -1f, 0f], outputs[1]);
    }

    [Fact]
    public void Inverse_dft_divides_by_the_length_and_onesided_keeps_the_first_half()
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .Input("x", ElementType.F32, 1, 4, 2).Input("r", ElementType.F32, 1, 4, 1)
            .Node("DFT", ["x"], ["signal"], Int("inverse", 1))
            .Node("DFT", ["r"], ["half"], Int("inverse", 1), Int("onesided", 1))
            .Output("signal", ElementType.F32, 1, 4, 2).Output("half", ElementType.F32, 1, 3, 2);
        var spectrum = Tensor.FromArray([10f, 0f, -2f, 2f, -2f, 0f, -2f, -2f], 1, 4, 2);

        var outputs = ConversionHarness.ConvertAndRun(onnx, spectrum, RealSignal);

        AssertClose([1f, 0f, 2f, 0f, 3f, 0f, 4f, 0f], outputs[0]);

        // (1/4) Σ x[k] e^{+2πikn/4} of [1, 2, 3, 4]: 2.5, −0.5 − 0.5i, −0.5.
        AssertClose([2.5f, 0f, -0.5f, -0.5f, -0.5f, 0f], outputs[1]);
    }

    [Fact]
    public void Stft_frames_the_signal_and_applies_the_window()
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .Input("signal", ElementType.F32, 1, 6, 1)
            .Initializer("step", Tensor.FromArray([2L], []))
            .Initializer("window", Tensor.FromArray([1f, 0f, 1f, 0f], 4))
            .Node("STFT", ["signal", "step", "window"], ["y"])
            .Output("y", ElementType.F32, 1, 2, 3, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 1, 6, 1))[0];

        // Frames [1, 2, 3, 4] and [3, 4, 5, 6] windowed to [1, 0, 3, 0] and [3, 0, 5, 0]: a + c, a − c, a + c.
        Assert.Equal([1L, 2L, 3L, 2L], y.Shape);
        AssertClose([4f, 0f, -2f, 0f, 4f, 0f, 8f, 0f, -2f, 0f, 8f, 0f], y);
    }

    [Theory]
    [InlineData("HannWindow", 1, new[] { 0.0, 0.5, 1.0, 0.5 })]
    [InlineData("HannWindow", 0, new[] { 0.0, 0.75, 0.75, 0.0 })]
    [InlineData("BlackmanWindow", 1, new[] { 0.0, 0.34, 1.0, 0.34 })]
    public void Windows_are_periodic_or_symmetric_in_the_requested_type(string op, long periodic, double[] expected)
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .Input("size", ElementType.I64)
            .Node(op, ["size"], ["w"], Int("periodic", periodic), Int("output_datatype", 11))
            .Output("w", ElementType.F64, 4);

        var w = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray([4L], []))[0];

        Assert.Equal(ElementType.F64, w.Type);
        Assert.Equal(expected, w.As<double>(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void MelWeightMatrix_of_constant_inputs_is_a_constant_filter_bank()
    {
        var onnx = new OnnxGraphBuilder(opset: 17)
            .Input("x", ElementType.F32, 5, 2)
            .Initializer("bins", Tensor.FromArray([2], []))
            .Initializer("length", Tensor.FromArray([8], []))
            .Initializer("rate", Tensor.FromArray([8000], []))
            .Initializer("low", Tensor.FromArray([0f], []))
            .Initializer("high", Tensor.FromArray([4000f], []))
            .Node("MelWeightMatrix", ["bins", "length", "rate", "low", "high"], ["m"])
            .Node("Add", ["m", "x"], ["y"])
            .Output("y", ElementType.F32, 5, 2);

        var y = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(new float[10], 5, 2))[0];

        // Mel points 0, 536.5, 1073, 1609.5 are 0, 427, 1114, 2220 Hz: FFT bins floor(9 · f / 8000) = 0, 0, 1, 2.
        // Filter 0 collapses onto bin 0; filter 1 rises from bin 0 to 1 and ends at 2.
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f], y.As<float>());
    }

    private static void AssertClose(float[] expected, Tensor actual) =>
        Assert.Equal(expected, actual.As<float>(), (a, b) => Math.Abs(a - b) < 1e-4f);
}
