using System.Runtime.InteropServices;
using Google.Protobuf;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>Feature interactions and attention: Interaction (DLRM), FmOrder2 (DeepFM), MultiHeadAttention and its SequenceMask (BST).</summary>
internal static class InteractionLayers
{
    /// <summary>
    /// DLRM's dot interaction of the dense output x [B, V] with the embeddings E [B, S, V]: all pairwise
    /// dot products of the S + 1 vectors (strict upper triangle of Z·Zᵀ, column by column), appended to x,
    /// plus one zero column of padding: [B, V + S(S+1)/2 + 1].
    /// </summary>
    public static void Interaction(LayerContext context)
    {
        var bottoms = context.Bottoms(2);
        var top = context.Top;
        var (dense, embeddings) = (context.Shape(bottoms[0]), context.Shape(bottoms[1]));
        if (bottoms.Count != 2 || !dense.IsFlat || embeddings.Rank != 2 || embeddings[1] != dense.Last)
        {
            throw context.Malformed($"needs a dense input [B, V] and embeddings [B, S, V], it has {string.Join(", ", bottoms.Select(b => $"'{b}' {context.Shape(b)}"))}");
        }

        var (slots, width) = (embeddings[0], dense.Last);
        var vectors = slots + 1;
        var maximumVectors = (long)Math.Sqrt(EvaluationBudget.ValueElementsLimit);
        if (vectors > maximumVectors)
        {
            // The pair indices are a constant of vectors² / 2 entries, computed while converting.
            throw context.Malformed($"interacts {slots} embedding vectors; the pair indices of more than {maximumVectors - 1} would not fit in a constant");
        }

        var graph = context.Graph;
        var row = graph.Int64s($"{top}_shape1", -1, 1, width);
        var flat = graph.Int64s($"{top}_shape2", -1, vectors * vectors);
        var pairs = new List<long>();
        for (var j = 1; j < vectors; j++)
        {
            for (var i = 0; i < j; i++)
            {
                pairs.Add((i * vectors) + j);
            }
        }

        var indices = graph.Int64s($"{top}_indices", [.. pairs]);
        var denseRow = graph.Intermediate("Reshape", [bottoms[0], row], $"{top}_reshape1");
        var all = graph.Intermediate("Concat", [denseRow, bottoms[1]], $"{top}_concat", Int("axis", -2));
        var transposed = graph.Intermediate("Transpose", [all], $"{top}_transpose", Ints("perm", 0, 2, 1));
        var products = graph.Intermediate("MatMul", [all, transposed], $"{top}_matmul");
        var productsFlat = graph.Intermediate("Reshape", [products, flat], $"{top}_reshape2");
        var selected = graph.Intermediate("Gather", [productsFlat, indices], $"{top}_gather", Int("axis", 1));
        var joined = graph.Intermediate("Concat", [bottoms[0], selected], $"{top}_interaction", Int("axis", -1));
        graph.Node("Pad", [joined], top, Ints("pads", 0, 0, 0, 1));
        context.SetShape(top, SampleShape.Of(width + pairs.Count + 1));
    }

    /// <summary>Second-order factorization machine over S fields of size V: ½·((Σ v)² − Σ v²), [B, V].</summary>
    public static void FmOrder2(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var width = context.Layer.Integer("out_dim");
        if (width <= 0 || input.Last % width != 0)
        {
            throw context.Malformed($"has out_dim {width}, which does not divide the size {input.Last} of '{bottom}'");
        }

        var graph = context.Graph;
        var fields = graph.Int64s($"{top}_shape", -1, input.Last / width, width);
        var half = graph.Float($"{top}_scalar", 0.5f);
        var grouped = graph.Intermediate("Reshape", [bottom, fields], $"{top}_reshape");
        var sum = graph.Intermediate("ReduceSum", [grouped], $"{top}_reduce_sum", Ints("axes", -2), Int("keepdims", 0));
        var sumSquare = graph.Intermediate("Mul", [sum, sum], $"{top}_sum_square");
        var square = graph.Intermediate("Mul", [grouped, grouped], $"{top}_square");
        var squareSum = graph.Intermediate("ReduceSum", [square], $"{top}_square_sum", Ints("axes", -2), Int("keepdims", 0));
        var difference = graph.Intermediate("Sub", [sumSquare, squareSum], $"{top}_sub");
        graph.Node("Mul", [difference, half], top);
        context.SetShape(top, SampleShape.Of(width));
    }

    /// <summary>
    /// Scaled dot-product attention over h heads of q, k, v [B, S, H] with a boolean mask [B, 1, S, S]:
    /// masked-out scores get <see cref="ElementwiseLayers.MaskedScore"/> added, the row maximum is
    /// subtracted before the softmax. Keys and values must have the query's length, as in hugectr2onnx.
    /// </summary>
    public static void MultiHeadAttention(LayerContext context)
    {
        var bottoms = context.Bottoms(4);
        var top = context.Top;
        var heads = context.Layer.Integer("num_attention_heads");
        var shapes = bottoms.Select(context.Shape).ToList();
        var (query, mask) = (shapes[0], shapes[3]);
        if (bottoms.Count != 4 || query.Rank != 2 || !shapes[1].Equals(query) || !shapes[2].Equals(query))
        {
            throw context.Unsupported($"needs query, key and value of one shape [B, S, H] and a mask, it has {string.Join(", ", shapes)}");
        }

        var (length, hidden) = (query[0], query[1]);
        if (heads < 1 || hidden % heads != 0 || mask.Rank != 3 || mask[0] != 1 || mask[1] != length || mask[2] != length)
        {
            throw context.Malformed($"has {heads} heads for hidden size {hidden} and a mask of per-sample shape {mask}; it needs heads dividing the hidden size and a mask [1, {length}, {length}]");
        }

        var (q, k, v, m) = (bottoms[0], bottoms[1], bottoms[2], bottoms[3]);
        var headSize = hidden / heads;
        var graph = context.Graph;
        var split = graph.Int64s($"{top}_qkv_4d_shape", -1, length, heads, headSize);
        var scale = graph.Float($"{top}_sqrtdk", MathF.Sqrt(headSize));
        var q4 = graph.Intermediate("Reshape", [q, split], $"{q}_4d");
        var k4 = graph.Intermediate("Reshape", [k, split], $"{k}_4d");
        var v4 = graph.Intermediate("Reshape", [v, split], $"{v}_4d");
        var qHeads = graph.Intermediate("Transpose", [q4], $"{q}_transpose", Ints("perm", 0, 2, 1, 3));
        var kHeads = graph.Intermediate("Transpose", [k4], $"{k}_transpose", Ints("perm", 0, 2, 3, 1));
        var vHeads = graph.Intermediate("Transpose", [v4], $"{v}_transpose", Ints("perm", 0, 2, 1, 3));

        // hugectr2onnx names this tensor without a prefix; NewName keeps it unique when there are several layers.
        var products = graph.Intermediate("MatMul", [qHeads, kHeads], "raw_score_prediv");
        var scores = graph.Intermediate("Div", [products, scale], $"{top}_raw_score");
        var penalty = graph.Float($"{m}_neg_infinity", ElementwiseLayers.MaskedScore);
        var masked = graph.Intermediate("Not", [m], $"{m}_not");
        var maskedFloat = graph.Intermediate("Cast", [masked], $"{m}_not_float", Int("to", (long)TensorProto.Types.DataType.Float));
        var offset = graph.Intermediate("Mul", [maskedFloat, penalty], $"{m}_not_float_mul_neg_infinity");
        var modified = graph.Intermediate("Add", [scores, offset], $"{top}_raw_score_modified");
        var rowMax = graph.Intermediate("ReduceMax", [modified], $"{top}_raw_score_modified_rowmax", Ints("axes", -1), Int("keepdims", 1));
        var stable = graph.Intermediate("Sub", [modified, rowMax], $"{top}_raw_score_modified_stable");
        var weights = graph.Intermediate("Softmax", [stable], $"{top}_raw_score_softmax", Int("axis", -1));
        var merge = graph.Int64s($"{top}_3d_shape", -1, length, hidden);
        var attended = graph.Intermediate("MatMul", [weights, vHeads], $"{top}_init");
        var back = graph.Intermediate("Transpose", [attended], $"{top}_transpose", Ints("perm", 0, 2, 1, 3));
        graph.Node("Reshape", [back, merge], top);
        context.SetShape(top, query);
    }

    /// <summary>
    /// mask[b, 0, i, j] = (i &lt; from_length[b]) and (j &lt; to_length[b]), from two [B, 1] float length
    /// inputs; the position ranges are Constant nodes, as hugectr2onnx writes them.
    /// </summary>
    public static void SequenceMask(LayerContext context)
    {
        var bottoms = context.Bottoms(2);
        var top = context.Top;
        var from = context.Layer.Integer("max_sequence_len_from");
        var to = context.Layer.Integer("max_sequence_len_to");
        // The position ranges are materialized, so their lengths are bounded like any value computed while converting.
        if (bottoms.Count != 2 || bottoms.Any(b => !context.Shape(b).Equals(SampleShape.Of(1))) || from < 1 || to < 1
            || from > EvaluationBudget.ValueElementsLimit || to > EvaluationBudget.ValueElementsLimit)
        {
            throw context.Malformed($"needs two length inputs [B, 1] and positive maximum lengths, it has {string.Join(", ", bottoms.Select(b => $"'{b}' {context.Shape(b)}"))}, from {from}, to {to}");
        }

        var graph = context.Graph;
        var fromPositions = graph.Intermediate("Constant", [], $"{top}_range_from", Tensor("value", Positions(from)));
        var toPositions = graph.Intermediate("Constant", [], $"{top}_range_to", Tensor("value", Positions(to)));
        var fromMask = graph.Intermediate("Less", [fromPositions, bottoms[0]], $"{top}_mask_from");
        var toMask = graph.Intermediate("Less", [toPositions, bottoms[1]], $"{top}_mask_to");
        var fromColumn = graph.Intermediate("Unsqueeze", [fromMask], $"{top}_mask_from_unsqueezed", Ints("axes", 2));
        var toRow = graph.Intermediate("Unsqueeze", [toMask], $"{top}_mask_to_unsqueezed", Ints("axes", 1));
        var int32 = Int("to", (long)TensorProto.Types.DataType.Int32);
        var fromInt = graph.Intermediate("Cast", [fromColumn], $"{top}_mask_from_unsqueezed_int", int32);
        var toInt = graph.Intermediate("Cast", [toRow], $"{top}_mask_to_unsqueezed_int", int32);
        var both = graph.Intermediate("Mul", [fromInt, toInt], $"{top}_mask_int");
        var withChannel = graph.Intermediate("Unsqueeze", [both], $"{top}_mask_int_unsqueezed", Ints("axes", 1));
        graph.Node("Cast", [withChannel], top, Int("to", (long)TensorProto.Types.DataType.Bool));
        context.SetShape(top, SampleShape.Of(1, from, to));
    }

    // 0, 1, ..., n − 1 as an unnamed float tensor in raw_data (a Constant's value, not an initializer).
    private static TensorProto Positions(long count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = i;
        }

        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.Add(count);
        return tensor;
    }
}
