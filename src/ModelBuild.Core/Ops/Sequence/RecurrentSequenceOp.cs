using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>The cell a recurrent sequence op applies at every time step.</summary>
public enum RecurrentCell
{
    /// <summary>Gates f, i, c, o (OpenVINO's "fico" order); cell and hidden state.</summary>
    Lstm,

    /// <summary>Gates z, r, h; hidden state only.</summary>
    Gru,

    /// <summary>One gate; hidden state only.</summary>
    Rnn,
}

/// <summary>
/// LSTMSequence-5, LSTMSequence-1 (with peepholes), GRUSequence-5 and RNNSequence-5: a cell run over
/// a batch of sequences in OpenVINO's batch-major layout.
/// Inputs: X [batch, seq, input], initial H [batch, dirs, hidden], (LSTM: initial C, same shape),
/// sequence_lengths [batch], W [dirs, gates·hidden, input], R [dirs, gates·hidden, hidden],
/// B [dirs, gates·hidden] (GRU with linear_before_reset: 4·hidden), (LSTMSequence-1: P [dirs, 3·hidden]).
/// Outputs: Y [batch, dirs, seq, hidden], final H [batch, dirs, hidden], (LSTM: final C).
/// Steps past a sequence's length leave the state alone and write zeros to Y; the reverse
/// direction walks each sequence from its last valid step back to the first.
/// </summary>
public sealed class RecurrentSequenceOp : OpDefinition
{
    private readonly RecurrentCell _cell;
    private readonly AttributeSpec[] _specs;

    private RecurrentSequenceOp(string type, int version, RecurrentCell cell, int minInputs, int maxInputs, AttributeSpec[] specs)
        : base(type, version, minInputs, maxInputs)
    {
        _cell = cell;
        _specs = specs;
    }

    /// <summary>The activation functions OpenVINO's recurrent ops apply.</summary>
    public static IReadOnlyList<string> SupportedActivations { get; } = ["sigmoid", "tanh", "relu"];

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => _specs;

    private int StateInputs => _cell == RecurrentCell.Lstm ? 2 : 1;

    private int LengthsInput => 1 + StateInputs;

    private int WeightsInput => LengthsInput + 1;

    private int Gates => _cell switch { RecurrentCell.Lstm => 4, RecurrentCell.Gru => 3, _ => 1 };

    private int ActivationCount => _cell switch { RecurrentCell.Lstm => 3, RecurrentCell.Gru => 2, _ => 1 };

    public static RecurrentSequenceOp LstmV5() => new("LSTMSequence", version: 5, RecurrentCell.Lstm, minInputs: 7, maxInputs: 7,
        [AttributeSpec.String("direction", "forward"), .. CommonSpecs(["sigmoid", "tanh", "tanh"])]);

    /// <summary>LSTMSequence-1, the version with peephole weights (input 7) and a coupled input-forget gate option.</summary>
    public static RecurrentSequenceOp LstmV1() => new("LSTMSequence", version: 1, RecurrentCell.Lstm, minInputs: 7, maxInputs: 8,
    [
        .. CommonSpecs(["sigmoid", "tanh", "tanh"]),
        AttributeSpec.String("direction", "forward"),
        AttributeSpec.Bool("input_forget", false),
        AttributeSpec.String("weights_format", "ifco"),
    ]);

    public static RecurrentSequenceOp GruV5() => new("GRUSequence", version: 5, RecurrentCell.Gru, minInputs: 6, maxInputs: 6,
        [AttributeSpec.String("direction", "forward"), AttributeSpec.Bool("linear_before_reset", false), .. CommonSpecs(["sigmoid", "tanh"])]);

    public static RecurrentSequenceOp RnnV5() => new("RNNSequence", version: 5, RecurrentCell.Rnn, minInputs: 6, maxInputs: 6,
        [AttributeSpec.String("direction", "forward"), .. CommonSpecs(["tanh"])]);

    public override void Infer(InferenceContext context)
    {
        var a = context.Attributes;
        var directions = Directions(context, a.GetString("direction"));
        var hidden = a.GetInt("hidden_size");
        context.Require(hidden > 0, $"hidden_size must be positive, not {hidden}");
        var activations = a.GetStrings("activations");
        context.Require(activations.Length == ActivationCount, $"takes {ActivationCount} activation(s), {activations.Length} were given");
        foreach (var activation in activations)
        {
            context.Require(SupportedActivations.Contains(activation), $"activation '{activation}' is not one of {string.Join(", ", SupportedActivations)}");
        }

        if (a.Contains("weights_format"))
        {
            context.Require(a.GetString("weights_format") == "fico", $"weights_format '{a.GetString("weights_format")}' is not supported, only fico");
        }

        var type = FloatType(context);
        var lengthsType = context.InputType(LengthsInput);
        context.Require(lengthsType.IsInteger() || lengthsType == ElementType.Dynamic, $"sequence_lengths must be integers, not {lengthsType.IrName()}");

        var biasWidth = _cell == RecurrentCell.Gru && a.GetBool("linear_before_reset") ? 4 * hidden : Gates * hidden;
        var x = Check(context, 0, "X", Dimension.Dynamic, Dimension.Dynamic, Dimension.Dynamic);
        var (batch, sequence, inputSize) = (x[0], x[1], x[2]);
        Dimension dirs = directions;
        Dimension hiddenDim = hidden;
        for (var state = 1; state <= StateInputs; state++)
        {
            batch = Check(context, state, state == 1 ? "initial_hidden_state" : "initial_cell_state", batch, dirs, hiddenDim)[0];
        }

        batch = Check(context, LengthsInput, "sequence_lengths", batch)[0];
        inputSize = Check(context, WeightsInput, "W", dirs, Gates * hidden, inputSize)[2];
        Check(context, WeightsInput + 1, "R", dirs, Gates * hidden, hiddenDim);
        Check(context, WeightsInput + 2, "B", dirs, biasWidth);
        if (context.InputCount > WeightsInput + 3)
        {
            Check(context, WeightsInput + 3, "P", dirs, 3 * hidden);
        }

        context.SetOutput(0, type, PartialShape.Of(batch, dirs, sequence, hiddenDim));
        for (var state = 1; state <= StateInputs; state++)
        {
            context.SetOutput(state, type, PartialShape.Of(batch, dirs, hiddenDim));
        }
    }

    /// <summary>Every step of every sequence multiplies the input and the state by the weights.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var data = context.Input(0);
        var weights = Enumerable.Range(0, context.InputCount).Sum(i => context.Input(i).Rank == 3 && i > 0 ? context.Input(i).ElementCount : 0);
        return EvaluationBudget.Product(weights, data.Rank > 1 ? data.Shape[0] * data.Shape[1] : 1);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var hidden = (int)context.Attributes.GetInt("hidden_size");
        var (batch, steps, inputSize) = ((int)x.Shape[0], (int)x.Shape[1], (int)x.Shape[2]);
        var direction = context.Attributes.GetString("direction");
        var directions = direction == "bidirectional" ? 2 : 1;
        var cell = new CellKernel(this, context, hidden, inputSize);
        var initialH = context.Input(1).ToDoubleArray();
        var initialC = _cell == RecurrentCell.Lstm ? context.Input(2).ToDoubleArray() : null;
        var lengths = context.Input(LengthsInput).ToInt64Array();

        var y = new double[batch * directions * steps * hidden];
        var finalH = new double[batch * directions * hidden];
        var finalC = new double[finalH.Length];
        var xData = x.ToDoubleArray();
        for (var d = 0; d < directions; d++)
        {
            var reverse = direction == "reverse" || d == 1;
            for (var b = 0; b < batch; b++)
            {
                var stateOffset = (b * directions + d) * hidden;
                var h = initialH.AsSpan(stateOffset, hidden).ToArray();
                var c = initialC?.AsSpan(stateOffset, hidden).ToArray() ?? new double[hidden];
                var length = (int)Math.Clamp(lengths[b], 0, steps);
                for (var s = 0; s < length; s++)
                {
                    var t = reverse ? length - 1 - s : s;
                    cell.Step(d, xData.AsSpan((b * steps + t) * inputSize, inputSize), h, c);
                    h.CopyTo(y.AsSpan(((b * directions + d) * steps + t) * hidden, hidden));
                }

                h.CopyTo(finalH.AsSpan(stateOffset, hidden));
                c.CopyTo(finalC.AsSpan(stateOffset, hidden));
            }
        }

        var type = x.Type;
        var outputs = new List<Tensor>
        {
            Tensor.FromDoubles(type, y, [batch, directions, steps, hidden]),
            Tensor.FromDoubles(type, finalH, [batch, directions, hidden]),
        };
        if (_cell == RecurrentCell.Lstm)
        {
            outputs.Add(Tensor.FromDoubles(type, finalC, [batch, directions, hidden]));
        }

        return [.. outputs];
    }

    private static AttributeSpec[] CommonSpecs(string[] activations) =>
    [
        AttributeSpec.Int("hidden_size"),
        AttributeSpec.Strings("activations", activations),
        AttributeSpec.Floats("activations_alpha", []),
        AttributeSpec.Floats("activations_beta", []),
        AttributeSpec.Float("clip", 0),
    ];

    private static int Directions(InferenceContext context, string direction) => direction switch
    {
        "forward" or "reverse" => 1,
        "bidirectional" => 2,
        _ => throw context.Error($"direction '{direction}' is not forward, reverse or bidirectional"),
    };

    // Every input except the lengths holds floats of one type.
    private ElementType FloatType(InferenceContext context)
    {
        var type = ElementType.Dynamic;
        for (var i = 0; i < context.InputCount; i++)
        {
            if (i == LengthsInput || context.InputType(i) == ElementType.Dynamic)
            {
                continue;
            }

            var inputType = context.InputType(i);
            context.Require(inputType.IsFloatingPoint(), $"input {i} must be floating-point, not {inputType.IrName()}");
            context.Require(type == ElementType.Dynamic || inputType == type, $"input {i} is {inputType.IrName()}, the others are {type.IrName()}");
            type = inputType;
        }

        return type;
    }

    // Merges an input's dims into the expected ones and returns them; a dynamic rank tells nothing,
    // a wrong rank or a clashing dim is an error.
    private static Dimension[] Check(InferenceContext context, int input, string name, params Dimension[] expected)
    {
        var shape = context.InputShape(input);
        if (!shape.IsRankStatic)
        {
            return expected;
        }

        context.Require(shape.Rank == expected.Length, $"{name} must have rank {expected.Length}, its shape is {shape.ToDisplayString()}");
        var merged = new Dimension[expected.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            merged[i] = expected[i].Merge(shape[i])
                ?? throw context.Error($"{name} has shape {shape.ToDisplayString()}, which does not match {PartialShape.Of(expected).ToDisplayString()} expected from the other inputs and attributes");
        }

        return merged;
    }

    /// <summary>One direction's weights and the per-step update of a cell's state.</summary>
    private sealed class CellKernel
    {
        private readonly RecurrentSequenceOp _op;
        private readonly int _hidden;
        private readonly int _inputSize;
        private readonly double[] _w;
        private readonly double[] _r;
        private readonly double[] _b;
        private readonly double[]? _p;
        private readonly Func<double, double>[] _activations;
        private readonly double _clip;
        private readonly bool _linearBeforeReset;
        private readonly bool _inputForget;
        private readonly double[] _gatesX;
        private readonly double[] _gatesH;

        public CellKernel(RecurrentSequenceOp op, EvaluationContext context, int hidden, int inputSize)
        {
            _op = op;
            _hidden = hidden;
            _inputSize = inputSize;
            _w = context.Input(op.WeightsInput).ToDoubleArray();
            _r = context.Input(op.WeightsInput + 1).ToDoubleArray();
            _b = context.Input(op.WeightsInput + 2).ToDoubleArray();
            _p = context.InputCount > op.WeightsInput + 3 ? context.Input(op.WeightsInput + 3).ToDoubleArray() : null;
            var a = context.Attributes;
            _activations = a.GetStrings("activations").Select(Activation).ToArray();
            _clip = a.GetFloat("clip");
            _linearBeforeReset = a.Contains("linear_before_reset") && a.GetBool("linear_before_reset");
            _inputForget = a.Contains("input_forget") && a.GetBool("input_forget");
            _gatesX = new double[op.Gates * hidden];
            _gatesH = new double[op.Gates * hidden];
        }

        /// <summary>Advances <paramref name="h"/> (and for LSTM <paramref name="c"/>) by one step of input <paramref name="x"/>.</summary>
        public void Step(int direction, ReadOnlySpan<double> x, double[] h, double[] c)
        {
            var rows = _op.Gates * _hidden;
            MatrixVector(_w.AsSpan(direction * rows * _inputSize, rows * _inputSize), x, _gatesX);
            MatrixVector(_r.AsSpan(direction * rows * _hidden, rows * _hidden), h, _gatesH);
            var bias = _b.AsSpan(direction * (_linearBeforeReset ? 4 : _op.Gates) * _hidden);
            switch (_op._cell)
            {
                case RecurrentCell.Lstm:
                    LstmStep(bias, _p is null ? [] : _p.AsSpan(direction * 3 * _hidden, 3 * _hidden), h, c);
                    break;
                case RecurrentCell.Gru:
                    GruStep(direction, bias, h);
                    break;
                default:
                    for (var j = 0; j < _hidden; j++)
                    {
                        h[j] = Activate(0, PreActivation(0, j, bias));
                    }

                    break;
            }
        }

        // f, i, c, o blocks; peepholes P in f, i, o order.
        private void LstmStep(ReadOnlySpan<double> bias, ReadOnlySpan<double> peepholes, double[] h, double[] c)
        {
            var n = _hidden;
            for (var j = 0; j < n; j++)
            {
                var (peepholeF, peepholeI, peepholeO) = peepholes.IsEmpty ? (0.0, 0.0, 0.0) : (peepholes[j], peepholes[n + j], peepholes[2 * n + j]);
                var forget = Activate(0, PreActivation(0, j, bias) + peepholeF * c[j]);
                var input = _inputForget ? 1 - forget : Activate(0, PreActivation(1, j, bias) + peepholeI * c[j]);
                var candidate = Activate(1, PreActivation(2, j, bias));
                var cell = forget * c[j] + input * candidate;
                var output = Activate(0, PreActivation(3, j, bias) + peepholeO * cell);
                c[j] = cell;
                h[j] = output * _activations[2](cell);
            }
        }

        // z, r, h blocks. Without linear_before_reset the reset gate scales the state before R_h;
        // with it, it scales R_h·H + Rb_h, and the bias holds four blocks (z, r, Wb_h, Rb_h).
        private void GruStep(int direction, ReadOnlySpan<double> bias, double[] h)
        {
            var n = _hidden;
            var update = new double[n];
            var reset = new double[n];
            for (var j = 0; j < n; j++)
            {
                update[j] = Activate(0, PreActivation(0, j, bias));
                reset[j] = Activate(0, PreActivation(1, j, bias));
            }

            var recurrent = new double[n];
            if (_linearBeforeReset)
            {
                for (var j = 0; j < n; j++)
                {
                    recurrent[j] = reset[j] * (_gatesH[2 * n + j] + bias[3 * n + j]);
                }
            }
            else
            {
                var resetState = new double[n];
                for (var j = 0; j < n; j++)
                {
                    resetState[j] = reset[j] * h[j];
                }

                var rows = 3 * n;
                MatrixVector(_r.AsSpan((direction * rows + 2 * n) * n, n * n), resetState, recurrent);
            }

            for (var j = 0; j < n; j++)
            {
                var candidate = Activate(1, _gatesX[2 * n + j] + recurrent[j] + bias[2 * n + j]);
                h[j] = (1 - update[j]) * candidate + update[j] * h[j];
            }
        }

        private double PreActivation(int gate, int j, ReadOnlySpan<double> bias) =>
            _gatesX[gate * _hidden + j] + _gatesH[gate * _hidden + j] + bias[gate * _hidden + j];

        // Gate pre-activations are clipped to [-clip, clip] when clip is positive.
        private double Activate(int activation, double value) =>
            _activations[activation](_clip > 0 ? Math.Clamp(value, -_clip, _clip) : value);

        private static void MatrixVector(ReadOnlySpan<double> matrix, ReadOnlySpan<double> vector, double[] result)
        {
            var columns = vector.Length;
            for (var row = 0; row < result.Length; row++)
            {
                var line = matrix.Slice(row * columns, columns);
                double sum = 0;
                for (var k = 0; k < columns; k++)
                {
                    sum += line[k] * vector[k];
                }

                result[row] = sum;
            }
        }

        private static Func<double, double> Activation(string name) => name switch
        {
            "sigmoid" => v => default(SigmoidKernel).Apply(v),
            "tanh" => Math.Tanh,
            _ => v => Math.Max(0, v),
        };
    }
}
