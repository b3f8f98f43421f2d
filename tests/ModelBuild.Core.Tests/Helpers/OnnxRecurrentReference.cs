namespace ModelBuild.Core.Tests.Helpers;

/// <summary>
/// ONNX LSTM, GRU and RNN written straight from the ONNX operator definitions, in ONNX's own
/// layout (time-major, gates i o f c / z r h, bias Wb‖Rb): the independent truth the converted
/// OpenVINO sequence ops are checked against.
/// </summary>
public static class OnnxRecurrentReference
{
    public enum Cell
    {
        Lstm,
        Gru,
        Rnn,
    }

    /// <summary>The inputs of one ONNX recurrent node, as flat row-major arrays in ONNX shapes.</summary>
    public sealed record Inputs(float[] X, float[] W, float[] R, int Seq, int Batch, int InputSize, int Hidden, int Directions)
    {
        public float[]? B { get; init; }

        public int[]? Lengths { get; init; }

        public float[]? InitialH { get; init; }

        public float[]? InitialC { get; init; }

        public float[]? P { get; init; }

        public bool Reverse { get; init; }

        public float Clip { get; init; }

        public bool LinearBeforeReset { get; init; }
    }

    /// <summary>Y [seq, dirs, batch, hidden], Y_h and Y_c [dirs, batch, hidden].</summary>
    public static (float[] Y, float[] H, float[] C) Run(Cell cell, Inputs inputs)
    {
        var (seq, batch, size, hidden, dirs) = (inputs.Seq, inputs.Batch, inputs.InputSize, inputs.Hidden, inputs.Directions);
        var gates = cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };
        var y = new float[seq * dirs * batch * hidden];
        var finalH = new float[dirs * batch * hidden];
        var finalC = new float[dirs * batch * hidden];
        for (var d = 0; d < dirs; d++)
        {
            var reverse = inputs.Reverse || d == 1;
            for (var b = 0; b < batch; b++)
            {
                var h = new double[hidden];
                var c = new double[hidden];
                for (var j = 0; j < hidden; j++)
                {
                    h[j] = inputs.InitialH?[(d * batch + b) * hidden + j] ?? 0;
                    c[j] = inputs.InitialC?[(d * batch + b) * hidden + j] ?? 0;
                }

                var length = inputs.Lengths?[b] ?? seq;
                for (var s = 0; s < length; s++)
                {
                    var t = reverse ? length - 1 - s : s;
                    double Wx(int row)
                    {
                        double sum = 0;
                        for (var k = 0; k < size; k++)
                        {
                            sum += inputs.W[(d * gates * hidden + row) * size + k] * inputs.X[(t * batch + b) * size + k];
                        }

                        return sum;
                    }

                    double Rh(int row, double[] state)
                    {
                        double sum = 0;
                        for (var k = 0; k < hidden; k++)
                        {
                            sum += inputs.R[(d * gates * hidden + row) * hidden + k] * state[k];
                        }

                        return sum;
                    }

                    double Wb(int row) => inputs.B?[d * 2 * gates * hidden + row] ?? 0;
                    double Rb(int row) => inputs.B?[d * 2 * gates * hidden + gates * hidden + row] ?? 0;
                    double Clip(double v) => inputs.Clip > 0 ? Math.Clamp(v, -inputs.Clip, inputs.Clip) : v;
                    double Peephole(int gate, int j) => inputs.P?[d * 3 * hidden + gate * hidden + j] ?? 0;

                    var next = new double[hidden];
                    var nextC = new double[hidden];
                    for (var j = 0; j < hidden; j++)
                    {
                        switch (cell)
                        {
                            case Cell.Lstm:
                            {
                                // Blocks i, o, f, c; peepholes i, o, f.
                                double Gate(int g) => Wx(g * hidden + j) + Rh(g * hidden + j, h) + Wb(g * hidden + j) + Rb(g * hidden + j);
                                var i = Sigmoid(Clip(Gate(0) + Peephole(0, j) * c[j]));
                                var f = Sigmoid(Clip(Gate(2) + Peephole(2, j) * c[j]));
                                var candidate = Math.Tanh(Clip(Gate(3)));
                                nextC[j] = f * c[j] + i * candidate;
                                var o = Sigmoid(Clip(Gate(1) + Peephole(1, j) * nextC[j]));
                                next[j] = o * Math.Tanh(nextC[j]);
                                break;
                            }

                            case Cell.Gru:
                            {
                                var z = Sigmoid(Clip(Wx(j) + Rh(j, h) + Wb(j) + Rb(j)));
                                var r = Sigmoid(Clip(Wx(hidden + j) + Rh(hidden + j, h) + Wb(hidden + j) + Rb(hidden + j)));
                                double candidate;
                                if (inputs.LinearBeforeReset)
                                {
                                    candidate = Math.Tanh(Clip(Wx(2 * hidden + j) + r * (Rh(2 * hidden + j, h) + Rb(2 * hidden + j)) + Wb(2 * hidden + j)));
                                }
                                else
                                {
                                    var reset = new double[hidden];
                                    for (var k = 0; k < hidden; k++)
                                    {
                                        reset[k] = Sigmoid(Clip(Wx(hidden + k) + Rh(hidden + k, h) + Wb(hidden + k) + Rb(hidden + k))) * h[k];
                                    }

                                    candidate = Math.Tanh(Clip(Wx(2 * hidden + j) + Rh(2 * hidden + j, reset) + Rb(2 * hidden + j) + Wb(2 * hidden + j)));
                                }

                                next[j] = (1 - z) * candidate + z * h[j];
                                break;
                            }

                            default:
                                next[j] = Math.Tanh(Clip(Wx(j) + Rh(j, h) + Wb(j) + Rb(j)));
                                break;
                        }
                    }

                    h = next;
                    c = nextC;
                    for (var j = 0; j < hidden; j++)
                    {
                        y[((t * dirs + d) * batch + b) * hidden + j] = (float)h[j];
                    }
                }

                for (var j = 0; j < hidden; j++)
                {
                    finalH[(d * batch + b) * hidden + j] = (float)h[j];
                    finalC[(d * batch + b) * hidden + j] = (float)c[j];
                }
            }
        }

        return (y, finalH, finalC);
    }

    public static float[] RandomValues(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
