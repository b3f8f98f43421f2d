using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

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

    public override Tensor[] Evaluate(EvaluationContext context) =>
        Gemm.Dispatch<SequenceRun, Tensor[]>(context.Input(0).Type, new SequenceRun(this, context));

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

    /// <summary>
    /// The op in the element type <typeparamref name="T"/> of its compute type (f32 for f32 and f16, f64 for f64).
    /// The input projections of every step do not depend on the state, so per direction they are one matrix
    /// product up front, X [batch·seq × input] · Wᵀ, with the bias added; each step then adds H·Rᵀ and applies the
    /// cell. The sequences of different batch entries and directions are independent and run in parallel.
    /// </summary>
    private readonly record struct SequenceRun(RecurrentSequenceOp Op, EvaluationContext Context) : IProductComputation<Tensor[]>
    {
        public Tensor[] Invoke<T>()
            where T : unmanaged, INumber<T>
        {
            var x = Context.Input(0);
            var hidden = (int)Context.Attributes.GetInt("hidden_size");
            var (batch, steps, inputSize) = ((int)x.Shape[0], (int)x.Shape[1], (int)x.Shape[2]);
            var direction = Context.Attributes.GetString("direction");
            var directions = direction == "bidirectional" ? 2 : 1;
            var gates = Op.Gates * hidden;
            var initialH = Gemm.Operand<T>(Context.Input(1));
            var initialC = Op._cell == RecurrentCell.Lstm ? Gemm.Operand<T>(Context.Input(2)) : null;
            var lengths = Context.Input(Op.LengthsInput).ToInt64Array();
            var weights = new CellWeights<T>(Op, Context, hidden, inputSize);
            var projections = weights.InputProjections(Gemm.Operand<T>(x), batch * steps);

            var y = new T[batch * directions * steps * hidden];
            var finalH = new T[batch * directions * hidden];
            var finalC = new T[finalH.Length];
            Parallel.For(0, batch * directions, sequence =>
            {
                var (b, d) = (sequence / directions, sequence % directions);
                var reverse = direction == "reverse" || d == 1;
                var stateOffset = sequence * hidden;
                var h = initialH.AsSpan(stateOffset, hidden).ToArray();
                var c = initialC?.AsSpan(stateOffset, hidden).ToArray() ?? new T[hidden];
                var state = new CellState<T>(weights, d, h, c);
                var length = (int)Math.Clamp(lengths[b], 0, steps);
                for (var s = 0; s < length; s++)
                {
                    var t = reverse ? length - 1 - s : s;
                    state.Step(projections[d], (b * steps + t) * gates);
                    h.CopyTo(y.AsSpan((sequence * steps + t) * hidden, hidden));
                }

                h.CopyTo(finalH.AsSpan(stateOffset, hidden));
                c.CopyTo(finalC.AsSpan(stateOffset, hidden));
            });

            var type = x.Type;
            var outputs = new List<Tensor>
            {
                Gemm.Result(type, [batch, directions, steps, hidden], y),
                Gemm.Result(type, [batch, directions, hidden], finalH),
            };
            if (Op._cell == RecurrentCell.Lstm)
            {
                outputs.Add(Gemm.Result(type, [batch, directions, hidden], finalC));
            }

            return [.. outputs];
        }
    }

    /// <summary>
    /// The weights of every direction, stored for the matrix products: Wᵀ [input × gates·hidden] and
    /// Rᵀ [hidden × gates·hidden] per direction (the product kernel reads rows of its right operand as vectors).
    /// </summary>
    private sealed class CellWeights<T>
        where T : unmanaged, INumber<T>
    {
        private readonly string[] _activations;
        private readonly double _clip;

        public CellWeights(RecurrentSequenceOp op, EvaluationContext context, int hidden, int inputSize)
        {
            Cell = op._cell;
            Hidden = hidden;
            InputSize = inputSize;
            Width = op.Gates * hidden;
            WTransposed = Gemm.TransposedMatrices(Gemm.Operand<T>(context.Input(op.WeightsInput)), Width, inputSize);
            RTransposed = Gemm.TransposedMatrices(Gemm.Operand<T>(context.Input(op.WeightsInput + 1)), Width, hidden);
            Bias = Gemm.Operand<T>(context.Input(op.WeightsInput + 2));
            Peepholes = context.InputCount > op.WeightsInput + 3 ? Gemm.Operand<T>(context.Input(op.WeightsInput + 3)) : null;
            var a = context.Attributes;
            _activations = a.GetStrings("activations");
            _clip = a.GetFloat("clip");
            LinearBeforeReset = a.Contains("linear_before_reset") && a.GetBool("linear_before_reset");
            InputForget = a.Contains("input_forget") && a.GetBool("input_forget");
        }

        public RecurrentCell Cell { get; }

        public int Hidden { get; }

        public int InputSize { get; }

        /// <summary>Gates·hidden: the width of a step's pre-activations.</summary>
        public int Width { get; }

        public T[] WTransposed { get; }

        public T[] RTransposed { get; }

        /// <summary>[dirs, gates·hidden], or for GRU with linear_before_reset [dirs, 4·hidden] (z, r, Wb_h, Rb_h).</summary>
        public T[] Bias { get; }

        public T[]? Peepholes { get; }

        public bool LinearBeforeReset { get; }

        public bool InputForget { get; }

        public int BiasWidth => LinearBeforeReset ? 4 * Hidden : Width;

        /// <summary>Per direction, X·Wᵀ + B for all <paramref name="rows"/> (batch·seq) input vectors: [rows × gates·hidden].</summary>
        public T[][] InputProjections(T[] x, int rows)
        {
            var projections = new T[Bias.Length / BiasWidth][];
            for (var d = 0; d < projections.Length; d++)
            {
                var projection = new T[rows * Width];
                Gemm.MultiplyParallel(rows, Width, InputSize, new MatrixView<T>(x, 0, RowStride: InputSize),
                    new MatrixView<T>(WTransposed, d * InputSize * Width, RowStride: Width), new MatrixView<T>(projection, 0, RowStride: Width));
                var bias = Bias.AsSpan(d * BiasWidth, Width);
                for (var row = 0; row < rows; row++)
                {
                    var values = projection.AsSpan(row * Width, Width);
                    for (var j = 0; j < Width; j++)
                    {
                        values[j] += bias[j];
                    }
                }

                projections[d] = projection;
            }

            return projections;
        }

        /// <summary>
        /// Applies activation <paramref name="activation"/> to <paramref name="values"/> in place, a whole gate at a time
        /// (vectorized). Gate pre-activations are clipped to [-clip, clip] first when clip is positive; the LSTM cell
        /// state, which is no pre-activation, is passed <paramref name="clip"/> false.
        /// </summary>
        public void Activate(int activation, Span<T> values, bool clip = true)
        {
            if (clip && _clip > 0)
            {
                TensorPrimitives.Clamp(values, T.CreateTruncating(-_clip), T.CreateTruncating(_clip), values);
            }

            if (typeof(T) == typeof(float))
            {
                Apply(_activations[activation], MemoryMarshal.Cast<T, float>(values));
            }
            else if (typeof(T) == typeof(double))
            {
                Apply(_activations[activation], MemoryMarshal.Cast<T, double>(values));
            }
            else
            {
                throw new NotSupportedException($"Recurrent cells compute in f32 or f64, not {typeof(T).Name}.");
            }
        }

        private static void Apply<TFloat>(string activation, Span<TFloat> values)
            where TFloat : unmanaged, IFloatingPointIeee754<TFloat>
        {
            switch (activation)
            {
                case "sigmoid":
                    TensorPrimitives.Sigmoid<TFloat>(values, values);
                    break;
                case "tanh":
                    TensorPrimitives.Tanh<TFloat>(values, values);
                    break;
                default:
                    TensorPrimitives.Max(values, TFloat.Zero, values);
                    break;
            }
        }
    }

    /// <summary>
    /// One sequence's state (<paramref name="h"/>, and for LSTM <paramref name="c"/>) and its per-step update, a whole
    /// gate at a time: the gates' pre-activations are one vector of gates·hidden values, the cell's formulas are
    /// element-wise operations on its blocks.
    /// </summary>
    private sealed class CellState<T>(CellWeights<T> weights, int direction, T[] h, T[] c)
        where T : unmanaged, INumber<T>
    {
        private readonly T[] _gates = new T[weights.Width];
        private readonly T[] _scratch = new T[weights.Hidden];

        /// <summary>Advances the state by one step whose input projection (X·Wᵀ + B) starts at <paramref name="offset"/> in <paramref name="projection"/>.</summary>
        public void Step(T[] projection, int offset)
        {
            var (n, width) = (weights.Hidden, weights.Width);
            Gemm.Multiply(1, width, n, new MatrixView<T>(h, 0, RowStride: n), new MatrixView<T>(weights.RTransposed, direction * n * width, RowStride: width),
                new MatrixView<T>(_gates, 0, RowStride: width));
            var gatesX = projection.AsSpan(offset, width);
            switch (weights.Cell)
            {
                case RecurrentCell.Lstm:
                    TensorPrimitives.Add(_gates, gatesX, _gates);
                    LstmStep(weights.Peepholes is null ? [] : weights.Peepholes.AsSpan(direction * 3 * n, 3 * n));
                    break;
                case RecurrentCell.Gru:
                    GruStep(gatesX);
                    break;
                default:
                    TensorPrimitives.Add(_gates, gatesX, _gates);
                    weights.Activate(0, _gates);
                    _gates.CopyTo(h, 0);
                    break;
            }
        }

        // f, i, c, o blocks; peepholes P in f, i, o order.
        private void LstmStep(ReadOnlySpan<T> peepholes)
        {
            var n = weights.Hidden;
            var forget = _gates.AsSpan(0, n);
            var input = _gates.AsSpan(n, n);
            var candidate = _gates.AsSpan(2 * n, n);
            var output = _gates.AsSpan(3 * n, n);
            if (!peepholes.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(peepholes[..n], c, forget, forget);
                TensorPrimitives.MultiplyAdd(peepholes.Slice(n, n), c, input, input);
            }

            weights.Activate(0, forget);
            if (weights.InputForget)
            {
                TensorPrimitives.Subtract(T.One, forget, input);
            }
            else
            {
                weights.Activate(0, input);
            }

            weights.Activate(1, candidate);

            // c = f ⊙ c + i ⊙ candidate; o sees the new c through its peephole; h = o ⊙ activation(c).
            TensorPrimitives.Multiply(forget, c, c);
            TensorPrimitives.MultiplyAdd(input, candidate, c, c);
            if (!peepholes.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(peepholes.Slice(2 * n, n), c, output, output);
            }

            weights.Activate(0, output);
            c.CopyTo(_scratch, 0);
            weights.Activate(2, _scratch, clip: false);
            TensorPrimitives.Multiply(output, _scratch, h);
        }

        // z, r, h blocks. Without linear_before_reset the reset gate scales the state before R_h;
        // with it, it scales R_h·H + Rb_h, and the bias holds four blocks (z, r, Wb_h, Rb_h).
        private void GruStep(ReadOnlySpan<T> gatesX)
        {
            var (n, width) = (weights.Hidden, weights.Width);
            var update = _gates.AsSpan(0, n);
            var reset = _gates.AsSpan(n, n);
            var recurrent = _gates.AsSpan(2 * n, n);
            TensorPrimitives.Add(_gates.AsSpan(0, 2 * n), gatesX[..(2 * n)], _gates.AsSpan(0, 2 * n));
            weights.Activate(0, update);
            weights.Activate(0, reset);

            // The candidate's recurrent term replaces the block of R·H the step computed from the unscaled state.
            if (weights.LinearBeforeReset)
            {
                TensorPrimitives.Add(recurrent, weights.Bias.AsSpan(direction * 4 * n + 3 * n, n), recurrent);
                TensorPrimitives.Multiply(reset, recurrent, recurrent);
            }
            else
            {
                TensorPrimitives.Multiply(reset, h, _scratch);
                Gemm.Multiply(1, n, n, new MatrixView<T>(_scratch, 0, RowStride: n),
                    new MatrixView<T>(weights.RTransposed, direction * n * width + 2 * n, RowStride: width), new MatrixView<T>(_gates, 2 * n, RowStride: width));
            }

            // h = (1 − z) ⊙ activation(Xw_h + recurrent) + z ⊙ h.
            var candidate = recurrent;
            TensorPrimitives.Add(candidate, gatesX.Slice(2 * n, n), candidate);
            weights.Activate(1, candidate);
            TensorPrimitives.Subtract(T.One, update, _scratch);
            TensorPrimitives.Multiply(_scratch, candidate, _scratch);
            TensorPrimitives.MultiplyAdd(update, h, _scratch, h);
        }
    }
}
