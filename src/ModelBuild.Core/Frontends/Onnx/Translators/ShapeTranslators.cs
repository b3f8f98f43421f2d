using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Ops that compute or change shapes: Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze.</summary>
public static class ShapeTranslators
{
    /// <summary>
    /// Shape; opset 15 adds <c>start</c>/<c>end</c>, which pick a slice of the shape vector. Slice-8
    /// clamps them exactly as ONNX does and works for inputs of unknown rank.
    /// </summary>
    public static IReadOnlyList<Output> Shape(OnnxNodeContext context)
    {
        var b = context.Graph;
        var shape = b.ShapeOf(context.Input(0));
        if (!context.HasAttribute("start") && !context.HasAttribute("end"))
        {
            return [shape];
        }

        var start = b.Int64s(context.GetInt("start", 0));
        var end = b.Int64s(context.GetInt("end", long.MaxValue));
        return [b.Make(MovementOps.Slice, [shape, start, end, b.Int64s(1), b.Int64s(0)])];
    }

    /// <summary>Size: the element count as an i64 scalar.</summary>
    public static IReadOnlyList<Output> Size(OnnxNodeContext context)
    {
        var x = context.Input(0);
        var count = x.Shape.ElementCount();
        if (count.IsStatic)
        {
            return [context.Graph.Int64(count.Length)];
        }

        var b = context.Graph;
        return [b.Make(ReductionOps.ReduceProd, [b.ShapeOf(x), b.Int64s(0)], ("keep_dims", false))];
    }

    /// <summary>Reshape-1: the shape is an attribute.</summary>
    public static IReadOnlyList<Output> ReshapeV1(OnnxNodeContext context)
    {
        var data = context.Input(0);
        return [context.Graph.Reshape(data, context.GetInts("shape", []))];
    }

    /// <summary>Reshape-5 and later: the shape is an input; opset 14's <c>allowzero</c> keeps zeros as zeros.</summary>
    public static IReadOnlyList<Output> ReshapeV5(OnnxNodeContext context)
    {
        var b = context.Graph;
        var data = context.Input(0);
        var allowZero = context.GetInt("allowzero", 0) != 0;
        return [b.Reshape(data, b.Convert(context.Input(1), ElementType.I64), specialZero: !allowZero)];
    }

    /// <summary>Flatten to 2-D: [d0·…·d(axis−1), d(axis)·…·d(n−1)].</summary>
    public static IReadOnlyList<Output> Flatten(OnnxNodeContext context)
    {
        var b = context.Graph;
        var x = context.Input(0);
        var axis = context.GetInt("axis", 1);
        if (!x.Shape.IsRankStatic)
        {
            throw context.Error("the input rank must be known");
        }

        var rank = x.Shape.Rank;
        if (axis < 0)
        {
            axis += rank;
        }

        if (axis < 0 || axis > rank)
        {
            throw context.Error($"axis {context.GetInt("axis", 1)} is out of range for rank {rank}");
        }

        return [b.Flatten(x, (int)axis)];
    }

    /// <summary>Squeeze-1 and 11: the optional axes are an attribute.</summary>
    public static IReadOnlyList<Output> SqueezeV1(OnnxNodeContext context)
    {
        var x = context.Input(0);
        return [Squeeze(context.Graph, x, context.GetInts("axes") is { } values ? context.Graph.Int64s(values) : null)];
    }

    /// <summary>Squeeze-13 and later: the axes are an optional input.</summary>
    public static IReadOnlyList<Output> SqueezeV13(OnnxNodeContext context)
    {
        var x = context.Input(0);
        return [Squeeze(context.Graph, x, context.OptionalInput(1))];
    }

    /// <summary>Unsqueeze-1 and 11: the axes are an attribute.</summary>
    public static IReadOnlyList<Output> UnsqueezeV1(OnnxNodeContext context)
    {
        var axes = context.Graph.Int64s(context.GetInts("axes") ?? throw context.Error("attribute 'axes' is required"));
        return [Unsqueeze(context, axes)];
    }

    /// <summary>Unsqueeze-13 and later: the axes are an input.</summary>
    public static IReadOnlyList<Output> UnsqueezeV13(OnnxNodeContext context)
    {
        var axes = context.Graph.Convert(context.Input(1), ElementType.I64);
        return [Unsqueeze(context, axes)];
    }

    private static Output Squeeze(GraphBuilder b, Output x, Output? axes) =>
        axes is null ? b.Make(ShapeOps.Squeeze, [x]) : b.Make(ShapeOps.Squeeze, [x, b.Convert(axes.Value, ElementType.I64)]);

    private static Output Unsqueeze(OnnxNodeContext context, Output axes) => context.Graph.Make(ShapeOps.Unsqueeze, [context.Input(0), axes]);
}
