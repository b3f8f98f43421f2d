using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>Element-wise arithmetic, activations, softmax, reductions and the batched matrix product.</summary>
internal static class ElementwiseLayers
{
    /// <summary>Masked softmax and attention add this to masked-out scores, as hugectr2onnx does.</summary>
    public const float MaskedScore = -10000f;

    public static void Add(LayerContext context) => Chain(context, "Add");

    public static void ElementwiseMultiply(LayerContext context) => Chain(context, "Mul");

    public static void Sub(LayerContext context)
    {
        var bottoms = Exactly(context, 2);
        context.Graph.Node("Sub", [bottoms[0], bottoms[1]], context.Top);
        context.SetShape(context.Top, context.Shape(bottoms[0]));
    }

    public static void Relu(LayerContext context) => Unary(context, "Relu");

    public static void Sigmoid(LayerContext context) => Unary(context, "Sigmoid");

    public static void Elu(LayerContext context) =>
        Unary(context, "Elu", Float("alpha", (float)context.Layer.Number("elu_param", "alpha")));

    /// <summary>Identity at inference; the rate is not exported.</summary>
    public static void Dropout(LayerContext context) => Unary(context, "Dropout");

    /// <summary>
    /// y = p·x + α·(1 − p)·x with p = σ((x − mean) / √(var + eps)), mean and variance over the batch
    /// axis — at inference too, as hugectr2onnx exports it, so a sample's output depends on its batch.
    /// </summary>
    public static void PReluDice(LayerContext context)
    {
        var (x, top) = (context.Bottom, context.Top);
        var graph = context.Graph;
        var eps = graph.Float($"{top}_eps", (float)context.Layer.Number("prelu_dice_param", "eps"));
        var alpha = graph.Float($"{top}_alpha", (float)context.Layer.Number("prelu_dice_param", "alpha"));
        var mean = graph.Intermediate("ReduceMean", [x], $"{top}_mean", Ints("axes", 0));
        var meanSquare = graph.Intermediate("Mul", [mean, mean], $"{top}_mean_square");
        var square = graph.Intermediate("Mul", [x, x], $"{top}_square");
        var squareMean = graph.Intermediate("ReduceMean", [square], $"{top}_square_mean", Ints("axes", 0));
        var variance = graph.Intermediate("Sub", [squareMean, meanSquare], $"{top}_var");
        var shifted = graph.Intermediate("Add", [variance, eps], $"{top}_var_eps");
        var deviation = graph.Intermediate("Sqrt", [shifted], $"{top}_var_eps_sqrt");
        var centered = graph.Intermediate("Sub", [x, mean], $"{top}_diff");
        var normalized = graph.Intermediate("Div", [centered, deviation], $"{top}_value");
        var p = graph.Intermediate("Sigmoid", [normalized], $"{top}_ps");
        var first = graph.Intermediate("Mul", [x, p], $"{top}_first_item");
        var px = graph.Intermediate("Mul", [x, p], $"{top}_ps_mul");
        var negative = graph.Intermediate("Sub", [px, x], $"{top}_second_item_tmp");
        var second = graph.Intermediate("Mul", [negative, alpha], $"{top}_second_item");
        graph.Node("Sub", [first, second], top);
        context.SetShape(top, context.Shape(x));
    }

    /// <summary>
    /// Softmax without an axis attribute, as hugectr2onnx writes it: opset 10's axis 1, normalizing over
    /// everything after the batch axis. With a second bottom (a boolean mask), masked-out entries get
    /// <see cref="MaskedScore"/> added first.
    /// </summary>
    public static void Softmax(LayerContext context)
    {
        var bottoms = context.Bottoms(1);
        if (bottoms.Count > 2)
        {
            throw context.Malformed($"has {bottoms.Count} bottoms; Softmax takes the scores and optionally a mask");
        }

        var top = context.Top;
        var x = bottoms[0];
        var graph = context.Graph;
        if (bottoms.Count == 2)
        {
            var mask = bottoms[1];
            var padding = graph.Float($"{x}_padding_val", MaskedScore);
            var masked = graph.Intermediate("Not", [mask], $"{mask}_not");
            var maskedFloat = graph.Intermediate("Cast", [masked], $"{mask}_float_not", Int("to", (long)TensorProto.Types.DataType.Float));
            var offset = graph.Intermediate("Mul", [maskedFloat, padding], $"{mask}_masked_offset");
            x = graph.Intermediate("Add", [x, offset], $"{x}_masked_val");
        }

        graph.Node("Softmax", [x], top);
        context.SetShape(top, context.Shape(bottoms[0]));
    }

    public static void ReduceSum(LayerContext context) => Reduce(context, "ReduceSum");

    public static void ReduceMean(LayerContext context) => Reduce(context, "ReduceMean");

    public static void MatrixMultiply(LayerContext context)
    {
        var bottoms = Exactly(context, 2);
        var (left, right) = (context.Shape(bottoms[0]), context.Shape(bottoms[1]));
        if (left.Rank < 2 || right.Rank != left.Rank || left.Last != right[right.Rank - 2])
        {
            throw context.Malformed($"multiplies '{bottoms[0]}' {left} by '{bottoms[1]}' {right}; it needs 3-D or 4-D tensors [.., m, k] and [.., k, n]");
        }

        context.Graph.Node("MatMul", [bottoms[0], bottoms[1]], context.Top);
        context.SetShape(context.Top, left.WithLast(right.Last));
    }

    // n inputs become a chain of n − 1 binary nodes; the intermediate results are named <top>1, <top>2, ...
    private static void Chain(LayerContext context, string op)
    {
        var bottoms = context.Bottoms(2);
        var top = context.Top;
        var sum = bottoms[0];
        for (var i = 1; i < bottoms.Count; i++)
        {
            sum = context.Graph.Node(op, [sum, bottoms[i]], i == bottoms.Count - 1 ? top : context.Graph.NewName($"{top}{i}"));
        }

        context.SetShape(top, context.Shape(bottoms[0]));
    }

    private static void Unary(LayerContext context, string op, params AttributeProto[] attributes)
    {
        context.Graph.Node(op, [context.Bottom], context.Top, attributes);
        context.SetShape(context.Top, context.Shape(context.Bottom));
    }

    // HugeCTR's axis counts the batch axis; the reduced axis is kept with size 1.
    private static void Reduce(LayerContext context, string op)
    {
        var input = context.Shape(context.Bottom);
        var axis = context.Layer.Integer("axis");
        if (axis < 1 || axis > input.Rank)
        {
            throw context.Malformed($"reduces axis {axis} of '{context.Bottom}', whose per-sample shape is {input}; the axis must lie in [1, {input.Rank}]");
        }

        context.Graph.Node(op, [context.Bottom], context.Top, Ints("axes", axis), Int("keepdims", 1));
        context.SetShape(context.Top, input.With((int)axis - 1, 1));
    }

    private static IReadOnlyList<string> Exactly(LayerContext context, int count)
    {
        var bottoms = context.Bottoms(count);
        return bottoms.Count == count ? bottoms : throw context.Malformed($"needs {count} bottoms, it has {bottoms.Count}");
    }
}
