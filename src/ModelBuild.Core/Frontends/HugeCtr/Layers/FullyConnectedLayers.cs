using ModelBuild.Core.Graph;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>Layers with weight matrices: InnerProduct, FusedInnerProduct, MLP, MultiCross, WeightMultiply.</summary>
internal static class FullyConnectedLayers
{
    /// <summary>
    /// Gemm with HugeCTR's kernel [in, out] as B and bias [1, out] as C. On a 3-D input [B, S, in] the
    /// samples' rows are folded into the batch around the Gemm.
    /// </summary>
    public static void InnerProduct(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.Shape(bottom);
        var outputs = context.Layer.Integer("fc_param", "num_output");
        var (weight, bias) = WeightAndBias(context, top, input.Last, outputs);
        var graph = context.Graph;
        if (input.IsFlat)
        {
            graph.Node("Gemm", [bottom, weight, bias], top);
        }
        else
        {
            var rows = graph.Int64s($"{top}_shape1", -1, input.Last);
            var restore = graph.Int64s($"{top}_shape2", [-1, .. input.Dims.Take(input.Rank - 1), outputs]);
            var folded = graph.Intermediate("Reshape", [bottom, rows], $"{bottom}_reshape_fc1");
            var product = graph.Intermediate("Gemm", [folded, weight, bias], $"{top}_reshape_fc2");
            graph.Node("Reshape", [product, restore], top);
        }

        context.SetShape(top, input.WithLast(outputs));
    }

    /// <summary>
    /// The pre-2023 name of InnerProduct in mixed-precision graphs: Gemm then ReLU. The ReLU is applied
    /// whatever the layer's <c>activation</c> says, as hugectr2onnx does.
    /// </summary>
    public static void FusedInnerProduct(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var outputs = context.Layer.Integer("fc_param", "num_output");
        var (weight, bias) = WeightAndBias(context, top, input.Last, outputs);
        var product = context.Graph.Intermediate("Gemm", [bottom, weight, bias], $"{top}_gemm");
        context.Graph.Node("Relu", [product], top);
        context.SetShape(top, SampleShape.Of(outputs));
    }

    /// <summary>
    /// A stack of fully connected layers, each with an optional bias and ReLU. The dense file stores a
    /// bias for every layer; a layer without bias becomes a MatMul (hugectr2onnx writes a two-input Gemm,
    /// which opset 10 rejects). Unlike hugectr2onnx, the output size is recorded, so any layer may follow.
    /// </summary>
    public static void Mlp(LayerContext context)
    {
        var layer = context.Layer;
        var (bottom, top) = (context.Bottom, context.Top);
        var outputs = layer.Integers("mlp_param", "num_outputs");
        var activations = layer.Has("mlp_param", "activations")
            ? layer.Strings("mlp_param", "activations")
            : Enumerable.Repeat(layer.Has("mlp_param", "activation") ? layer.String("mlp_param", "activation") : "Relu", outputs.Length).ToArray();
        var biases = layer.Has("mlp_param", "biases")
            ? layer.Booleans("mlp_param", "biases")
            : Enumerable.Repeat(!layer.Has("mlp_param", "use_bias") || layer.Boolean("mlp_param", "use_bias"), outputs.Length).ToArray();
        if (outputs.Length == 0 || activations.Length != outputs.Length || biases.Length != outputs.Length)
        {
            throw context.Malformed($"has {outputs.Length} num_outputs, {activations.Length} activations and {biases.Length} bias flags; they must be as many, at least one");
        }

        var graph = context.Graph;
        var input = bottom;
        var inputSize = context.FlatBottomShape().Last;
        for (var i = 0; i < outputs.Length; i++)
        {
            var relu = activations[i] switch
            {
                "Relu" => true,
                "None" => false,
                _ => throw context.Unsupported($"has the activation '{activations[i]}' for layer {i}; only Relu and None are supported"),
            };
            var weight = graph.Initializer($"{top}{i}_weight", ElementType.F32, [inputSize, outputs[i]], context.Weights($"layer {i} weight", inputSize, outputs[i]));
            var biasData = context.Weights($"layer {i} bias", 1, outputs[i]);
            var output = i == outputs.Length - 1 ? top : graph.NewName($"{top}{i}_out");
            var product = relu ? graph.NewName($"{top}{i}_gemm") : output;
            if (biases[i])
            {
                var bias = graph.Initializer($"{top}{i}_bias", ElementType.F32, [1, outputs[i]], biasData);
                graph.Node("Gemm", [input, weight, bias], product);
            }
            else
            {
                graph.Node("MatMul", [input, weight], product);
            }

            if (relu)
            {
                graph.Node("Relu", [product], output);
            }

            input = output;
            inputSize = outputs[i];
        }

        context.SetShape(top, SampleShape.Of(outputs[^1]));
    }

    /// <summary>DCN-v1 cross layers: x_{l+1} = x₀·(x_l·w_l) + b_l + x_l, with w_l a column [in, 1].</summary>
    public static void MultiCross(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var layers = context.Layer.Integer("mc_param", "num_layers");
        // Each cross layer is four nodes, so the count, a number in the config, is bounded like any count of nodes a
        // declared value asks for (the dense file's size is only checked after the last layer).
        if (layers < 1 || layers > EvaluationBudget.OutputCountLimit)
        {
            throw context.Malformed($"has num_layers {layers}; it needs from 1 to {EvaluationBudget.OutputCountLimit}");
        }

        var graph = context.Graph;
        var size = input.Last;
        var feed = bottom;
        for (var i = 0; i < layers; i++)
        {
            var k = i + 1;
            var weight = graph.Initializer($"{top}_weights{i}", ElementType.F32, [size, 1], context.Weights($"cross layer {i} weight", 1, size));
            var bias = graph.Initializer($"{top}_biases{i}", ElementType.F32, [1, size], context.Weights($"cross layer {i} bias", 1, size));
            var projection = graph.Intermediate("MatMul", [feed, weight], $"{top}_matmul{k}");
            var scaled = graph.Intermediate("Mul", [bottom, projection], $"{top}_multiply{k}");
            var shifted = graph.Intermediate("Add", [feed, bias], $"{top}_add{k}");
            feed = graph.Node("Add", [scaled, shifted], i == layers - 1 ? top : graph.NewName($"{top}_multicross{k}"));
        }

        context.SetShape(top, input);
    }

    /// <summary>out[b, s·V + v] = x[b, s] · W[s, v]: each input feature scales its own weight row.</summary>
    public static void WeightMultiply(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var dims = context.Layer.Integers("weight_dims");
        if (dims.Length != 2 || dims[0] != input.Last)
        {
            throw context.Malformed($"has weight_dims [{string.Join(", ", dims)}]; it needs [{input.Last}, vector size] for its input '{bottom}' of shape {input}");
        }

        var (slots, vectorSize) = (dims[0], dims[1]);
        var graph = context.Graph;
        var weight = graph.Initializer($"{top}_weight", ElementType.F32, [slots, vectorSize], context.Weights("weight", slots, vectorSize));
        var expandShape = graph.Int64s($"{top}_expand_shape", 1, vectorSize);
        var shape3d = graph.Int64s($"{top}_shape1", -1, slots, vectorSize);
        var shape2d = graph.Int64s($"{top}_shape2", -1, slots * vectorSize);
        var row = graph.Intermediate("Flatten", [bottom], $"{top}_flatten", Int("axis", 0));
        var column = graph.Intermediate("Transpose", [row], $"{top}_transpose");
        var expanded = graph.Intermediate("Expand", [column, expandShape], $"{top}_expand");
        var grouped = graph.Intermediate("Reshape", [expanded, shape3d], $"{top}_reshape");
        var product = graph.Intermediate("Mul", [grouped, weight], $"{top}_multiply");
        graph.Node("Reshape", [product, shape2d], top);
        context.SetShape(top, SampleShape.Of(slots * vectorSize));
    }

    private static (string Weight, string Bias) WeightAndBias(LayerContext context, string top, long inputs, long outputs)
    {
        var weight = context.Graph.Initializer($"{top}_weight", ElementType.F32, [inputs, outputs], context.Weights("weight", inputs, outputs));
        var bias = context.Graph.Initializer($"{top}_bias", ElementType.F32, [1, outputs], context.Weights("bias", 1, outputs));
        return (weight, bias);
    }
}
