using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>
/// Ops that pick or write elements by index or condition: GatherElements, GatherND, Scatter,
/// ScatterElements, ScatterND, OneHot, NonZero, Compress, Unique, EyeLike, CumSum, BitShift.
/// </summary>
public static class IndexingTranslators
{
    /// <summary>
    /// GatherElements: ONNX allows negative indices, GatherElements-6 does not (OpenVINO 2022's reference kernel fails
    /// with "indices values of GatherElement exceed data size"), so they are wrapped first, with one FloorMod by the axis
    /// length: the same as adding the length to negative ones for every index ONNX accepts ([-length, length)). ONNX also
    /// allows indices shorter than the data outside the axis (the output takes the indices' shape); GatherElements-6
    /// wants those dims equal, so the data is cut to the indices first.
    /// </summary>
    public static IReadOnlyList<Output> GatherElements(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var axis = context.GetInt("axis", 0);
        var indices = context.Input(1);
        indices = b.Make(ArithmeticOps.FloorMod, [indices, b.Convert(AxisLength(b, data, axis), indices.Type)]);
        if (data.Shape.IsStatic && indices.Shape.IsStatic && data.Shape.Rank == indices.Shape.Rank)
        {
            var normalized = data.Shape.NormalizeAxis(axis);
            var cut = Enumerable.Range(0, data.Shape.Rank).Where(d => d != normalized && indices.Shape[d].Length < data.Shape[d].Length).ToArray();
            if (cut.Length > 0)
            {
                var ends = cut.Select(d => indices.Shape[d].Length).ToArray();
                data = b.Make(MovementOps.Slice, [data, b.Int64s(new long[cut.Length]), b.Int64s(ends), b.Int64s([.. cut.Select(_ => 1L)]), b.Int64s([.. cut.Select(d => (long)d)])]);
            }
        }

        return [b.Make(MovementOps.GatherElements, [data, indices], ("axis", axis))];
    }

    /// <summary>GatherND (opset 11; <c>batch_dims</c> from 12).</summary>
    public static IReadOnlyList<Output> GatherND(OnnxNodeContext context) =>
        [context.Graph.Make(MovementOps.GatherND, [context.Input(0), context.Input(1)], ("batch_dims", context.GetInt("batch_dims", 0)))];

    /// <summary>
    /// ScatterElements (and the deprecated Scatter of opsets 9–10): ScatterElementsUpdate-12 with the
    /// reduction renamed (add → sum, mul → prod) and the data as the initial value.
    /// </summary>
    public static IReadOnlyList<Output> ScatterElements(OnnxNodeContext context)
    {
        var b = context.Graph;
        var reduction = Reduction(context);
        return [b.Make(MovementOps.ScatterElementsUpdate, [context.Input(0), context.Input(1), context.Input(2), b.Int64(context.GetInt("axis", 0))],
            ("reduction", reduction), ("use_init_val", true))];
    }

    /// <summary>ScatterND: overwriting uses ScatterNDUpdate (opset4); reductions (opset 16+) need ScatterNDUpdate-15.</summary>
    public static IReadOnlyList<Output> ScatterND(OnnxNodeContext context)
    {
        var reduction = Reduction(context);
        Output[] inputs = [context.Input(0), context.Input(1), context.Input(2)];
        return reduction == "none"
            ? [context.Graph.Make(MovementOps.ScatterNDUpdate, inputs)]
            : [context.Graph.Make(MovementOps.ScatterNDUpdateWithReduction, inputs, ("reduction", reduction))];
    }

    /// <summary>
    /// OneHot: indices of any numeric type become i64 and negative ones count from <c>depth</c>;
    /// <c>values</c> is [off, on]; depth may be a one-element vector (reshaped to the scalar OneHot-1 wants). OneHot-1 gives
    /// all off values for a negative index, so the wrap stays exact: Less → Add → Select leaves an index outside
    /// [-depth, depth) out of range (all off, as ONNX says), where one FloorMod would move it into range.
    /// </summary>
    public static IReadOnlyList<Output> OneHot(OnnxNodeContext context)
    {
        var b = context.Graph;
        var depth = b.Convert(context.Input(1), ElementType.I64);
        if (!depth.Shape.IsRankStatic || depth.Shape.Rank != 0)
        {
            depth = b.Reshape(depth);
        }
        var indices = WrapNegative(b, b.Convert(context.Input(0), ElementType.I64), depth);
        var values = context.Input(2);
        var off = b.Gather(values, b.Int64(0), 0);
        var on = b.Gather(values, b.Int64(1), 0);
        return [b.Make(SequenceOps.OneHot, [indices, depth, on, off], ("axis", context.GetInt("axis", -1)))];
    }

    public static IReadOnlyList<Output> NonZero(OnnxNodeContext context) =>
        [context.Graph.Make(ConditionOps.NonZero, [context.Input(0)], ("output_type", ElementType.I64))];

    /// <summary>Compress: Gather of the positions where the condition holds (along <c>axis</c>, or of the flattened input).</summary>
    public static IReadOnlyList<Output> Compress(OnnxNodeContext context)
    {
        var b = context.Graph;
        var positions = b.Squeeze(b.Make(ConditionOps.NonZero, [context.Input(1)], ("output_type", ElementType.I64)), 0);
        return context.HasAttribute("axis")
            ? [b.Gather(context.Input(0), positions, context.GetInt("axis"))]
            : [b.Gather(b.Reshape(context.Input(0), -1), positions, 0)];
    }

    /// <summary>Unique: Unique-10 has the same four outputs (values, first indices, inverse indices, counts).</summary>
    public static IReadOnlyList<Output> Unique(OnnxNodeContext context)
    {
        var b = context.Graph;
        Output[] inputs = context.HasAttribute("axis") ? [context.Input(0), b.Int64(context.GetInt("axis"))] : [context.Input(0)];
        return b.MakeMulti(MovementOps.Unique, inputs,
            ("sorted", context.GetInt("sorted", 1) != 0), ("index_element_type", ElementType.I64), ("count_element_type", ElementType.I64));
    }

    /// <summary>EyeLike: Eye-9 with the input's two dims, diagonal <c>k</c>, and <c>dtype</c> (default: the input's type).</summary>
    public static IReadOnlyList<Output> EyeLike(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        if (x.Shape.IsRankStatic && x.Shape.Rank != 2)
        {
            throw context.Error($"the input must be 2-D, not {x.Shape.ToDisplayString()}");
        }

        var type = context.HasAttribute("dtype") ? OnnxTensors.ToElementType((int)context.GetInt("dtype")) : x.Type;
        return [b.Make(GenerationOps.Eye, [AxisLength(b, x, 0), AxisLength(b, x, 1), b.Int64(context.GetInt("k", 0))], ("output_type", type))];
    }

    /// <summary>CumSum: the axis input may be a one-element vector; CumSum-3 wants a scalar.</summary>
    public static IReadOnlyList<Output> CumSum(OnnxNodeContext context)
    {
        var b = context.Graph;
        var axis = context.Input(1);
        return [b.Make(ArithmeticOps.CumSum, [context.Input(0), axis.Shape.IsRankStatic && axis.Shape.Rank == 0 ? axis : b.Reshape(axis)],
            ("exclusive", context.GetInt("exclusive", 0) != 0), ("reverse", context.GetInt("reverse", 0) != 0))];
    }

    public static IReadOnlyList<Output> BitShift(OnnxNodeContext context)
    {
        var op = context.GetString("direction", "") switch
        {
            "LEFT" => BitwiseOps.BitwiseLeftShift,
            "RIGHT" => BitwiseOps.BitwiseRightShift,
            var other => throw context.Error($"direction '{other}' is not LEFT or RIGHT"),
        };
        return [context.Graph.Make(op, [context.Input(0), context.Input(1)])];
    }

    /// <summary>The length of <paramref name="axis"/> as an i64 scalar.</summary>
    private static Output AxisLength(GraphBuilder b, Output value, long axis) => b.Gather(b.ShapeOf(value), b.Int64(axis), 0);

    /// <summary>Indices with negative entries moved up by <paramref name="length"/> (a scalar), in the indices' type.</summary>
    private static Output WrapNegative(GraphBuilder b, Output indices, Output length)
    {
        var typedLength = b.Convert(length, indices.Type);
        var negative = b.Make(ComparisonOps.Less, [indices, b.Scalar(indices.Type, 0)]);
        return b.Select(negative, b.Add(indices, typedLength), indices);
    }

    /// <summary>ONNX's scatter reduction as OpenVINO names it.</summary>
    private static string Reduction(OnnxNodeContext context) => context.GetString("reduction", "none") switch
    {
        "none" => "none",
        "add" => "sum",
        "mul" => "prod",
        "max" => "max",
        "min" => "min",
        var other => throw context.Error($"reduction '{other}' is not supported"),
    };
}
