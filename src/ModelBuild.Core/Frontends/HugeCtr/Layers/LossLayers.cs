namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>
/// Loss layers (bottoms: prediction, label). At inference a loss is the activation of its prediction,
/// written to the tensor named after the label — the model output the Data layer declares.
/// hugectr2onnx does this for BinaryCrossEntropyLoss only; for CrossEntropyLoss and
/// MultiCrossEntropyLoss it writes a tensor named 'output' and leaves the declared output unproduced,
/// a model ONNX Runtime refuses. Here all three write the label.
/// </summary>
internal static class LossLayers
{
    public static void BinaryCrossEntropy(LayerContext context) => Activate(context, "Sigmoid");

    /// <summary>Softmax without an axis attribute (opset 10: over everything after the batch axis).</summary>
    public static void CrossEntropy(LayerContext context) => Activate(context, "Softmax");

    public static void MultiCrossEntropy(LayerContext context) => Activate(context, "Sigmoid");

    private static void Activate(LayerContext context, string op)
    {
        var bottoms = context.Bottoms(2);
        var (prediction, label) = (bottoms[0], bottoms[1]);
        var (predicted, expected) = (context.Shape(prediction), context.Shape(label));
        if (bottoms.Count != 2 || !predicted.Equals(expected))
        {
            throw context.Malformed($"compares the prediction '{prediction}' {predicted} with the label '{label}' {expected}; it needs two bottoms of one shape");
        }

        context.Graph.Node(op, [prediction], label);
        context.SetShape(label, predicted);
    }
}
