using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// LSTM, GRU and RNN → LSTMSequence-5 (LSTMSequence-1 when peepholes or a coupled input-forget
/// gate are used), GRUSequence-5, RNNSequence-5. ONNX is time-major ([seq, batch, ...], unless
/// opset 14's layout=1), OpenVINO batch-major: X, the initial states and the outputs are transposed
/// around the op. LSTM gate blocks are reordered from ONNX's i, o, f, c to OpenVINO's f, i, c, o
/// (peepholes from i, o, f to f, i, o); the W and R halves of the ONNX bias are added.
/// </summary>
public static class RecurrentTranslators
{
    public static IReadOnlyList<Output> Lstm(OnnxNodeContext context) => Translate(context, RecurrentCell.Lstm);

    public static IReadOnlyList<Output> Gru(OnnxNodeContext context) => Translate(context, RecurrentCell.Gru);

    public static IReadOnlyList<Output> Rnn(OnnxNodeContext context) => Translate(context, RecurrentCell.Rnn);

    private static IReadOnlyList<Output> Translate(OnnxNodeContext context, RecurrentCell cell)
    {
        var b = context.Graph;
        var gates = cell switch { RecurrentCell.Lstm => 4, RecurrentCell.Gru => 3, _ => 1 };
        var batchFirst = context.GetInt("layout", 0) != 0;
        var direction = context.GetString("direction", "forward").ToLowerInvariant();
        if (direction is not ("forward" or "reverse" or "bidirectional"))
        {
            throw context.Error($"direction '{direction}' is not forward, reverse or bidirectional");
        }

        var directions = direction == "bidirectional" ? 2 : 1;
        var x = context.Input(0);
        var hidden = HiddenSize(context, context.Input(2));
        var type = x.Type;
        var linearBeforeReset = cell == RecurrentCell.Gru && context.GetInt("linear_before_reset", 0) != 0;
        var inputForget = cell == RecurrentCell.Lstm && context.GetInt("input_forget", 0) != 0;

        // OpenVINO layout: X [batch, seq, input], states [batch, dirs, hidden].
        var sequences = batchFirst ? x : b.Transpose(x, 1, 0, 2);
        var batch = b.Dimension(sequences, 0);
        var w = ReorderGates(context, context.Input(1), cell, hidden);
        var r = ReorderGates(context, context.Input(2), cell, hidden);
        var bias = Bias(context, cell, gates, hidden, directions, linearBeforeReset, type);
        var lengths = context.OptionalInput(4) ?? b.Broadcast(b.Dimension(sequences, 1), batch);
        var states = new List<Output> { InitialState(context, 5, batchFirst, batch, directions, hidden, type) };
        if (cell == RecurrentCell.Lstm)
        {
            states.Add(InitialState(context, 6, batchFirst, batch, directions, hidden, type));
        }

        var peepholes = cell == RecurrentCell.Lstm ? Peepholes(context, hidden) : null;
        var attributes = new List<(string, object)>
        {
            ("direction", direction),
            ("hidden_size", hidden),
            ("activations", Activations(context, cell, directions)),
            ("activations_alpha", context.GetFloats("activation_alpha") ?? []),
            ("activations_beta", context.GetFloats("activation_beta") ?? []),
            ("clip", (double)Math.Abs(context.GetFloat("clip", 0))),
        };
        if (linearBeforeReset)
        {
            attributes.Add(("linear_before_reset", true));
        }

        OpDefinition op;
        List<Output> inputs = [sequences, .. states, lengths, w, r, bias];
        if (peepholes is not null || inputForget)
        {
            op = SequenceOps.LstmSequenceWithPeepholes;
            attributes.Add(("input_forget", inputForget));
            attributes.Add(("weights_format", "fico"));
            if (peepholes is not null)
            {
                inputs.Add(peepholes.Value);
            }
        }
        else
        {
            op = cell switch { RecurrentCell.Lstm => SequenceOps.LstmSequence, RecurrentCell.Gru => SequenceOps.GruSequence, _ => SequenceOps.RnnSequence };
        }

        var outputs = b.MakeMulti(op, inputs, attributes.ToArray());

        // Back to ONNX: Y [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]), states [dirs, batch, hidden].
        var y = batchFirst ? b.Transpose(outputs[0], 0, 2, 1, 3) : b.Transpose(outputs[0], 2, 1, 0, 3);
        return [y, .. outputs.Skip(1).Select(state => batchFirst ? state : b.Transpose(state, 1, 0, 2))];
    }

    // hidden_size from R [dirs, gates·hidden, hidden] when its shape says, else from the attribute. The default bias and
    // the gate reordering hold a few elements per hidden unit, so a declared size is bounded like a value.
    private static long HiddenSize(OnnxNodeContext context, Output recurrence)
    {
        var shape = recurrence.Shape;
        var hidden = shape.IsRankStatic && shape.Rank == 3 && shape[2].IsStatic ? shape[2].Length : context.GetInt("hidden_size", 0);
        if (hidden <= 0)
        {
            throw context.Error("hidden_size is needed: the attribute is missing and R's shape does not tell it");
        }

        return hidden <= EvaluationBudget.ValueElementsLimit / 8
            ? hidden
            : throw context.Error($"hidden size {hidden} is larger than ModelBuild converts ({EvaluationBudget.ValueElementsLimit / 8})");
    }

    // ONNX LSTM blocks i, o, f, c → OpenVINO f, i, c, o (along axis 1); GRU (z, r, h) and RNN blocks already match.
    private static Output ReorderGates(OnnxNodeContext context, Output value, RecurrentCell cell, long hidden) =>
        cell == RecurrentCell.Lstm ? ReorderBlocks(context.Graph, value, hidden, 2, 0, 3, 1) : value;

    private static Output ReorderBlocks(GraphBuilder b, Output value, long blockSize, params long[] blocks) =>
        b.Gather(value, b.Int64s([.. blocks.SelectMany(block => Enumerable.Range(0, (int)blockSize).Select(i => block * blockSize + i))]), 1);

    // ONNX B [dirs, 2·gates·hidden] = Wb ‖ Rb. OpenVINO takes Wb + Rb, except GRU with linear_before_reset,
    // whose candidate gate keeps the two apart: [Wb_z + Rb_z, Wb_r + Rb_r, Wb_h, Rb_h].
    private static Output Bias(OnnxNodeContext context, RecurrentCell cell, int gates, long hidden, int directions, bool linearBeforeReset, ElementType type)
    {
        var b = context.Graph;
        var width = gates * hidden;
        if (context.OptionalInput(3) is not { } onnxBias)
        {
            return b.Constant(Tensor.Zeros(type, directions, linearBeforeReset ? 4 * hidden : width));
        }

        var inputBias = b.Gather(onnxBias, b.Int64Range(0, width), 1);
        var recurrentBias = b.Gather(onnxBias, b.Int64Range(width, width), 1);
        var sum = b.Add(inputBias, recurrentBias);
        if (linearBeforeReset)
        {
            return b.Concat(
            [
                b.Gather(sum, b.Int64Range(0, 2 * hidden), 1),
                b.Gather(inputBias, b.Int64Range(2 * hidden, hidden), 1),
                b.Gather(recurrentBias, b.Int64Range(2 * hidden, hidden), 1),
            ], 1);
        }

        return ReorderGates(context, sum, cell, hidden);
    }

    private static Output InitialState(OnnxNodeContext context, int input, bool batchFirst, Output batch, int directions, long hidden, ElementType type)
    {
        var b = context.Graph;
        if (context.OptionalInput(input) is { } state)
        {
            return batchFirst ? state : b.Transpose(state, 1, 0, 2);
        }

        return b.Broadcast(b.Scalar(type, 0), b.Concat([batch, b.Int64s(directions, hidden)], 0));
    }

    // ONNX P [dirs, 3·hidden] in i, o, f order → f, i, o. A constant all-zero P changes nothing and is dropped.
    private static Output? Peepholes(OnnxNodeContext context, long hidden)
    {
        if (context.OptionalInput(7) is not { } peepholes
            || OnnxNodeContext.ConstantValue(peepholes) is { } value && value.ToDoubleArray().All(v => v == 0))
        {
            return null;
        }

        return ReorderBlocks(context.Graph, peepholes, hidden, 2, 0, 1);
    }

    // ONNX names (Sigmoid, Tanh, Relu) in lower case; a bidirectional list names each direction's
    // functions, which OpenVINO cannot tell apart, so both halves must agree.
    private static string[] Activations(OnnxNodeContext context, RecurrentCell cell, int directions)
    {
        string[] defaults = cell switch { RecurrentCell.Lstm => ["sigmoid", "tanh", "tanh"], RecurrentCell.Gru => ["sigmoid", "tanh"], _ => ["tanh"] };
        var names = context.GetStrings("activations")?.Select(n => n.ToLowerInvariant()).ToArray();
        if (names is null)
        {
            return defaults;
        }

        if (names.Length == defaults.Length * directions && directions == 2)
        {
            var (forward, reverse) = (names[..defaults.Length], names[defaults.Length..]);
            if (!forward.SequenceEqual(reverse))
            {
                throw context.Error($"the directions use different activations ({string.Join(", ", forward)} and {string.Join(", ", reverse)}); OpenVINO applies one list to both");
            }

            names = forward;
        }

        if (names.Length != defaults.Length)
        {
            throw context.Error($"{names.Length} activations were given, {defaults.Length} per direction are expected");
        }

        var unsupported = names.FirstOrDefault(n => !RecurrentSequenceOp.SupportedActivations.Contains(n));
        return unsupported is null
            ? names
            : throw context.Error($"activation '{unsupported}' has no OpenVINO equivalent (recurrent sequence ops apply Sigmoid, Tanh and Relu)");
    }
}
