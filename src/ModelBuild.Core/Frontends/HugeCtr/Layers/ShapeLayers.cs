using ModelBuild.Core.Graph;
using static ModelBuild.Core.Onnx.OnnxAttributes;

namespace ModelBuild.Core.Frontends.HugeCtr.Layers;

/// <summary>Reshape, Concat, Slice, FusedReshapeConcat and Scale: layers that only move data.</summary>
internal static class ShapeLayers
{
    /// <summary>
    /// To [−1, leading_dim] or [−1, time_step, leading_dim]: the −1 lets rows fold into the batch and back
    /// (DeepFM reshapes [B, 26, 11] to [B·26, 11]). With <c>selected</c>, the listed slots are gathered first.
    /// </summary>
    public static void Reshape(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var layer = context.Layer;
        var graph = context.Graph;
        if (layer.Has("selected"))
        {
            var input = context.Shape(bottom);
            var slots = layer.Integers("selected");
            if (input.Rank != 2 || slots.Length == 0 || slots.Any(s => s < 0 || s >= input[0]))
            {
                throw context.Malformed($"selects slots [{string.Join(", ", slots)}] of '{bottom}', whose per-sample shape is {input}; it needs a 3-D input [B, slots, vector] and slots in range");
            }

            var size = slots.Length * input[1];
            var shape = graph.Int64s($"{top}_shape", -1, size);
            var selected = graph.Int64s($"{top}_selected_slots", slots);
            var gathered = graph.Intermediate("Gather", [bottom, selected], $"{top}_gather", Int("axis", 1));
            graph.Node("Reshape", [gathered, shape], top);
            context.SetShape(top, SampleShape.Of(size));
            return;
        }

        var leading = layer.Integer("leading_dim");
        var timeStep = layer.Has("time_step") ? layer.Integer("time_step") : 0;
        if (leading <= 0 || timeStep < 0)
        {
            throw context.Malformed($"has leading_dim {leading} and time_step {timeStep}");
        }

        var result = timeStep == 0 ? SampleShape.Of(leading) : SampleShape.Of(timeStep, leading);
        var target = graph.Int64s($"{top}_shape", [-1, .. result.Dims]);
        graph.Node("Reshape", [bottom, target], top);
        context.SetShape(top, result);
    }

    /// <summary>Concat along HugeCTR's axis (counting the batch axis), written unchanged into the ONNX axis.</summary>
    public static void Concat(LayerContext context)
    {
        var bottoms = context.Bottoms(1);
        var top = context.Top;
        var axis = context.Layer.Has("axis") ? context.Layer.Integer("axis") : 1;
        var shapes = bottoms.Select(context.Shape).ToList();
        var first = shapes[0];
        if (axis < 1 || axis > first.Rank)
        {
            throw context.Malformed($"concatenates along axis {axis}, but '{bottoms[0]}' has per-sample shape {first}");
        }

        var position = (int)axis - 1;
        for (var i = 1; i < shapes.Count; i++)
        {
            if (shapes[i].Rank != first.Rank || Enumerable.Range(0, first.Rank).Any(d => d != position && shapes[i][d] != first[d]))
            {
                throw context.Malformed($"concatenates '{bottoms[0]}' {first} and '{bottoms[i]}' {shapes[i]} along axis {axis}; the other dimensions must agree");
            }
        }

        context.Graph.Node("Concat", bottoms, top, Int("axis", axis));
        var length = shapes.Aggregate(0L, (sum, s) => sum > long.MaxValue - s[position] ? long.MaxValue : sum + s[position]);
        if (length > int.MaxValue)
        {
            throw context.Malformed($"concatenates {length} along axis {axis}, more than any tensor can hold");
        }

        context.SetShape(top, first.With(position, length));
    }

    /// <summary>One Slice per top along the last axis, [start, end). Graph analysis also writes these for every shared tensor.</summary>
    public static void Slice(LayerContext context)
    {
        var bottom = context.Bottom;
        var tops = context.Layer.Tops;
        var input = context.Shape(bottom);
        var ranges = context.Layer.IntegerLists("ranges");
        if (ranges.Length != tops.Count)
        {
            throw context.Malformed($"has {tops.Count} tops and {ranges.Length} ranges; it needs one range per top");
        }

        var graph = context.Graph;
        for (var i = 0; i < tops.Count; i++)
        {
            var range = ranges[i];
            if (range.Length != 2 || range[0] < 0 || range[0] >= range[1] || range[1] > input.Last)
            {
                throw context.Malformed($"slices [{string.Join(", ", range)}) of the last axis of '{bottom}', whose per-sample shape is {input}");
            }

            var start = graph.Int64s($"{tops[i]}_start", range[0]);
            var end = graph.Int64s($"{tops[i]}_end", range[1]);
            var axes = graph.Int64s($"{tops[i]}_axes", -1);
            graph.Node("Slice", [bottom, start, end, axes], tops[i]);
            context.SetShape(tops[i], input.WithLast(range[1] - range[0]));
        }
    }

    /// <summary>
    /// DIN's history/target split: of each embedding [B, S, Eₖ] the first S − 1 rows (the history) and the
    /// last row (the target item) are concatenated over k and flattened to [B·(S − 1), ΣE] and [B, ΣE].
    /// </summary>
    public static void FusedReshapeConcat(LayerContext context)
    {
        var bottoms = context.Bottoms(1);
        var tops = context.Layer.Tops;
        if (tops.Count != 2)
        {
            throw context.Malformed($"needs two tops (history and item), it has {tops.Count}");
        }

        var shapes = bottoms.Select(context.Shape).ToList();
        var length = shapes[0][0];
        if (shapes.Any(s => s.Rank != 2 || s[0] != length) || length < 2)
        {
            throw context.Malformed($"needs 3-D inputs [B, S, E] with the same S ≥ 2, it has {string.Join(", ", shapes)}");
        }

        var graph = context.Graph;
        var name = tops[0];
        var itemStart = graph.Int64s($"{name}_item_start", 0);
        var itemEnd = graph.Int64s($"{name}_item_end", length - 1);
        var adStart = graph.Int64s($"{name}_ad_start", length - 1);
        var adEnd = graph.Int64s($"{name}_ad_end", length);
        var axes = graph.Int64s($"{name}_axes", 1);
        string history = "", target = "";
        for (var k = 0; k < bottoms.Count; k++)
        {
            var b = bottoms[k];
            var itemSlice = graph.Intermediate("Slice", [b, itemStart, itemEnd, axes], $"{b}_slice_item{k}");
            var adSlice = graph.Intermediate("Slice", [b, adStart, adEnd, axes], $"{b}_slice_ad{k}");
            history = k == 0 ? itemSlice : graph.Intermediate("Concat", [history, itemSlice], $"{b}_concat_item{k}", Int("axis", 2));
            target = k == 0 ? adSlice : graph.Intermediate("Concat", [target, adSlice], $"{b}_concat_ad{k}", Int("axis", 2));
        }

        var width = shapes.Sum(s => s[1]);
        var flat = graph.Int64s($"{name}_item_shape", -1, width);
        graph.Node("Reshape", [history, flat], tops[0]);
        graph.Node("Reshape", [target, flat], tops[1]);
        context.SetShape(tops[0], SampleShape.Of(width));
        context.SetShape(tops[1], SampleShape.Of(width));
    }

    /// <summary>
    /// Repeats a 2-D input int(factor) times: axis 0 repeats each element in place ([B, d·f]); axis 1
    /// repeats the whole row, then splits the rows ([B·f, d]). A factor of 1 is the identity (hugectr2onnx
    /// then reads a tensor it never wrote).
    /// </summary>
    public static void Scale(LayerContext context)
    {
        var (bottom, top) = (context.Bottom, context.Top);
        var input = context.FlatBottomShape();
        var axis = context.Layer.Integer("scale_param", "axis");
        var factor = (long)context.Layer.Number("scale_param", "factor");
        if (axis is not (0 or 1) || factor < 1)
        {
            throw context.Malformed($"has axis {axis} and factor {factor}; it needs axis 0 or 1 and a factor of at least 1");
        }

        // Each repeat is a Concat node (hugectr2onnx's graph), so the factor, a number in the config, is bounded like
        // any count of nodes a declared value asks for.
        if (factor > EvaluationBudget.OutputCountLimit)
        {
            throw context.Malformed($"has factor {factor}; ModelBuild repeats up to {EvaluationBudget.OutputCountLimit} times");
        }

        var graph = context.Graph;
        var unit = bottom;
        if (axis == 0)
        {
            var column = graph.Int64s($"{top}_pre_shape", -1, 1);
            unit = graph.Intermediate("Reshape", [bottom, column], $"{top}_reshape");
        }

        var repeated = unit;
        for (var i = 1; i < factor; i++)
        {
            repeated = graph.Intermediate("Concat", [repeated, unit], $"{top}_concat{i}", Int("axis", 1));
        }

        var size = axis == 0 ? input.Last * factor : input.Last;
        var shape = graph.Int64s($"{top}_shape", -1, size);
        graph.Node("Reshape", [repeated, shape], top);
        context.SetShape(top, SampleShape.Of(size));
    }
}
