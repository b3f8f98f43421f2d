using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;
using static ModelBuild.Testing.OnnxGraphBuilder;
using Cell = ModelBuild.Core.Tests.Helpers.OnnxRecurrentReference.Cell;

namespace ModelBuild.Core.Tests.Frontends.Onnx.Translators;

public sealed class RecurrentTranslatorsTests
{
    private const int Seq = 4;

    private const int Batch = 3;

    private const int InputSize = 5;

    private const int Hidden = 2;

    [Fact]
    public void Bidirectional_lstm_with_lengths_states_peepholes_and_clip_matches_onnx()
    {
        var random = new Random(7);
        var gates = 4;
        var inputs = new OnnxRecurrentReference.Inputs(
            OnnxRecurrentReference.RandomValues(random, Seq * Batch * InputSize),
            OnnxRecurrentReference.RandomValues(random, 2 * gates * Hidden * InputSize),
            OnnxRecurrentReference.RandomValues(random, 2 * gates * Hidden * Hidden),
            Seq, Batch, InputSize, Hidden, 2)
        {
            B = OnnxRecurrentReference.RandomValues(random, 2 * 2 * gates * Hidden),
            Lengths = [4, 2, 3],
            InitialH = OnnxRecurrentReference.RandomValues(random, 2 * Batch * Hidden),
            InitialC = OnnxRecurrentReference.RandomValues(random, 2 * Batch * Hidden),
            P = OnnxRecurrentReference.RandomValues(random, 2 * 3 * Hidden),
            Clip = 0.9f,
        };
        var onnx = new OnnxGraphBuilder()
            .Input("X", ElementType.F32, Seq, Batch, InputSize)
            .Input("lengths", ElementType.I32, Batch)
            .Initializer("W", Tensor.FromArray(inputs.W, 2, gates * Hidden, InputSize))
            .Initializer("R", Tensor.FromArray(inputs.R, 2, gates * Hidden, Hidden))
            .Initializer("B", Tensor.FromArray(inputs.B, 2, 2 * gates * Hidden))
            .Initializer("h0", Tensor.FromArray(inputs.InitialH, 2, Batch, Hidden))
            .Initializer("c0", Tensor.FromArray(inputs.InitialC, 2, Batch, Hidden))
            .Initializer("P", Tensor.FromArray(inputs.P, 2, 3 * Hidden))
            .Node("LSTM", ["X", "W", "R", "B", "lengths", "h0", "c0", "P"], ["Y", "Y_h", "Y_c"],
                String("direction", "bidirectional"), Int("hidden_size", Hidden), Float("clip", 0.9f))
            .Output("Y", ElementType.F32, Seq, 2, Batch, Hidden).Output("Y_h", ElementType.F32, 2, Batch, Hidden).Output("Y_c", ElementType.F32, 2, Batch, Hidden);

        var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(inputs.X, Seq, Batch, InputSize), Tensor.FromArray(inputs.Lengths, Batch));

        var (y, h, c) = OnnxRecurrentReference.Run(Cell.Lstm, inputs);
        AssertClose(y, outputs[0], Seq, 2, Batch, Hidden);
        AssertClose(h, outputs[1], 2, Batch, Hidden);
        AssertClose(c, outputs[2], 2, Batch, Hidden);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reverse_gru_matches_onnx_with_and_without_linear_before_reset(bool linearBeforeReset)
    {
        var random = new Random(11);
        var gates = 3;
        var inputs = new OnnxRecurrentReference.Inputs(
            OnnxRecurrentReference.RandomValues(random, Seq * Batch * InputSize),
            OnnxRecurrentReference.RandomValues(random, gates * Hidden * InputSize),
            OnnxRecurrentReference.RandomValues(random, gates * Hidden * Hidden),
            Seq, Batch, InputSize, Hidden, 1)
        {
            B = OnnxRecurrentReference.RandomValues(random, 2 * gates * Hidden),
            Lengths = [1, 4, 2],
            Reverse = true,
            LinearBeforeReset = linearBeforeReset,
        };
        var onnx = new OnnxGraphBuilder()
            .Input("X", ElementType.F32, Seq, Batch, InputSize)
            .Input("W", ElementType.F32, 1, gates * Hidden, InputSize)
            .Input("R", ElementType.F32, 1, gates * Hidden, Hidden)
            .Input("B", ElementType.F32, 1, 2 * gates * Hidden)
            .Input("lengths", ElementType.I32, Batch)
            .Node("GRU", ["X", "W", "R", "B", "lengths"], ["Y", "Y_h"],
                String("direction", "reverse"), Int("hidden_size", Hidden), Int("linear_before_reset", linearBeforeReset ? 1 : 0))
            .Output("Y", ElementType.F32, Seq, 1, Batch, Hidden).Output("Y_h", ElementType.F32, 1, Batch, Hidden);

        var outputs = ConversionHarness.ConvertAndRun(onnx,
            Tensor.FromArray(inputs.X, Seq, Batch, InputSize), Tensor.FromArray(inputs.W, 1, gates * Hidden, InputSize),
            Tensor.FromArray(inputs.R, 1, gates * Hidden, Hidden), Tensor.FromArray(inputs.B!, 1, 2 * gates * Hidden), Tensor.FromArray(inputs.Lengths, Batch));

        var (y, h, _) = OnnxRecurrentReference.Run(Cell.Gru, inputs);
        AssertClose(y, outputs[0], Seq, 1, Batch, Hidden);
        AssertClose(h, outputs[1], 1, Batch, Hidden);
    }

    [Fact]
    public void Rnn_with_dynamic_batch_and_sequence_length_runs_on_any_length()
    {
        var random = new Random(3);
        var w = OnnxRecurrentReference.RandomValues(random, Hidden * InputSize);
        var r = OnnxRecurrentReference.RandomValues(random, Hidden * Hidden);
        var onnx = new OnnxGraphBuilder()
            .DynamicInput("X", ElementType.F32, -1, -1, InputSize)
            .Initializer("W", Tensor.FromArray(w, 1, Hidden, InputSize))
            .Initializer("R", Tensor.FromArray(r, 1, Hidden, Hidden))
            .Node("RNN", ["X", "W", "R"], ["Y", "Y_h"], Int("hidden_size", Hidden))
            .Output("Y", ElementType.F32).Output("Y_h", ElementType.F32);

        foreach (var (seq, batch) in new[] { (2, 1), (5, 3) })
        {
            var x = OnnxRecurrentReference.RandomValues(random, seq * batch * InputSize);
            var outputs = ConversionHarness.ConvertAndRun(onnx, Tensor.FromArray(x, seq, batch, InputSize));

            var (y, h, _) = OnnxRecurrentReference.Run(Cell.Rnn, new OnnxRecurrentReference.Inputs(x, w, r, seq, batch, InputSize, Hidden, 1));
            AssertClose(y, outputs[0], seq, 1, batch, Hidden);
            AssertClose(h, outputs[1], 1, batch, Hidden);
        }
    }

    [Fact]
    public void Batch_first_layout_of_opset_14_keeps_batch_major_inputs_and_outputs()
    {
        var random = new Random(5);
        var gates = 3;
        var xTimeMajor = OnnxRecurrentReference.RandomValues(random, Seq * Batch * InputSize);
        var inputs = new OnnxRecurrentReference.Inputs(
            xTimeMajor,
            OnnxRecurrentReference.RandomValues(random, gates * Hidden * InputSize),
            OnnxRecurrentReference.RandomValues(random, gates * Hidden * Hidden),
            Seq, Batch, InputSize, Hidden, 1)
        {
            InitialH = OnnxRecurrentReference.RandomValues(random, Batch * Hidden),
        };
        var onnx = new OnnxGraphBuilder(opset: 14)
            .Input("X", ElementType.F32, Batch, Seq, InputSize)
            .Input("h0", ElementType.F32, Batch, 1, Hidden)
            .Initializer("W", Tensor.FromArray(inputs.W, 1, gates * Hidden, InputSize))
            .Initializer("R", Tensor.FromArray(inputs.R, 1, gates * Hidden, Hidden))
            .Node("GRU", ["X", "W", "R", "", "", "h0"], ["Y", "Y_h"], Int("hidden_size", Hidden), Int("layout", 1))
            .Output("Y", ElementType.F32, Batch, Seq, 1, Hidden).Output("Y_h", ElementType.F32, Batch, 1, Hidden);

        // With one direction, [batch, seq, ...] is the time-major data transposed, and h0 [batch, 1, hidden] holds the same values as [1, batch, hidden].
        var x = Tensor.FromArray(xTimeMajor, Seq, Batch, InputSize);
        var outputs = ConversionHarness.ConvertAndRun(onnx, Transposed(x, Batch, Seq, InputSize), Tensor.FromArray(inputs.InitialH, Batch, 1, Hidden));

        var (y, h, _) = OnnxRecurrentReference.Run(Cell.Gru, inputs);
        AssertClose(Transposed(Tensor.FromArray(y, Seq, Batch, Hidden), Batch, Seq, Hidden).As<float>(), outputs[0], Batch, Seq, 1, Hidden);
        AssertClose(h, outputs[1], Batch, 1, Hidden);
    }

    [Fact]
    public void Activations_openvino_cannot_apply_are_reported()
    {
        var onnx = new OnnxGraphBuilder()
            .Input("X", ElementType.F32, Seq, Batch, InputSize)
            .Initializer("W", Tensor.Zeros(ElementType.F32, 1, Hidden, InputSize))
            .Initializer("R", Tensor.Zeros(ElementType.F32, 1, Hidden, Hidden))
            .Node("RNN", ["X", "W", "R"], ["Y"], Int("hidden_size", Hidden), Strings("activations", "HardSigmoid"))
            .Output("Y", ElementType.F32);

        var error = Assert.Throws<ModelBuildException>(() => ConversionHarness.ConvertAndRun(onnx));

        Assert.Equal(DiagnosticCode.TranslationFailed, error.Code);
        Assert.Contains("hardsigmoid", error.Message, StringComparison.Ordinal);
    }

    private static Tensor Transposed(Tensor value, params long[] shape)
    {
        var (d0, d1, d2) = ((int)value.Shape[0], (int)value.Shape[1], (int)value.Shape[2]);
        var source = value.As<float>();
        var result = new float[source.Length];
        for (var i = 0; i < d0; i++)
        {
            for (var j = 0; j < d1; j++)
            {
                Array.Copy(source, (i * d1 + j) * d2, result, (j * d0 + i) * d2, d2);
            }
        }

        return Tensor.FromArray(result, shape);
    }

    private static void AssertClose(float[] expected, Tensor actual, params long[] shape)
    {
        Assert.Equal(shape, actual.Shape);
        var values = actual.As<float>();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }
}
