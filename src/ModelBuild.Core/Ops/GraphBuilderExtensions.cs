using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Shorthands for the ops translators and transforms build most often.</summary>
public static class GraphBuilderExtensions
{
    public static Output Convert(this GraphBuilder builder, Output value, ElementType type) =>
        value.Type == type ? value : builder.Make(TypeOps.Convert, [value], ("destination_type", type));

    /// <summary>A scalar constant of the same element type as <paramref name="like"/>.</summary>
    public static Output ScalarLike(this GraphBuilder builder, Output like, double value) => builder.Scalar(like.Type, value);

    public static Output Reshape(this GraphBuilder builder, Output value, params long[] shape) =>
        builder.Make(ShapeOps.Reshape, [value, builder.Int64s(shape)], ("special_zero", true));

    public static Output Reshape(this GraphBuilder builder, Output value, Output shape, bool specialZero = false) =>
        builder.Make(ShapeOps.Reshape, [value, shape], ("special_zero", specialZero));

    public static Output Unsqueeze(this GraphBuilder builder, Output value, params long[] axes) =>
        builder.Make(ShapeOps.Unsqueeze, [value, builder.Int64s(axes)]);

    public static Output Squeeze(this GraphBuilder builder, Output value, params long[] axes) =>
        builder.Make(ShapeOps.Squeeze, [value, builder.Int64s(axes)]);

    public static Output ShapeOf(this GraphBuilder builder, Output value, ElementType type = ElementType.I64) =>
        builder.Make(ShapeOps.ShapeOf, [value], ("output_type", type));

    public static Output Transpose(this GraphBuilder builder, Output value, params long[] order) =>
        builder.Make(MovementOps.Transpose, [value, builder.Int64s(order)]);

    public static Output Concat(this GraphBuilder builder, IReadOnlyList<Output> values, long axis) =>
        values.Count == 1 ? values[0] : builder.Make(MovementOps.Concat, values, ("axis", axis));

    public static Output Gather(this GraphBuilder builder, Output data, Output indices, long axis) =>
        builder.Make(MovementOps.Gather, [data, indices, builder.Int64(axis)]);

    /// <summary>A 1-D i64 constant counting up from <paramref name="start"/>: the indices of <paramref name="count"/> consecutive elements.</summary>
    public static Output Int64Range(this GraphBuilder builder, long start, long count) =>
        builder.Int64s([.. Enumerable.Range(0, (int)count).Select(i => start + i)]);

    public static Output Add(this GraphBuilder builder, Output a, Output b) => builder.Make(ArithmeticOps.Add, [a, b]);

    public static Output Subtract(this GraphBuilder builder, Output a, Output b) => builder.Make(ArithmeticOps.Subtract, [a, b]);

    public static Output Multiply(this GraphBuilder builder, Output a, Output b) => builder.Make(ArithmeticOps.Multiply, [a, b]);

    public static Output Divide(this GraphBuilder builder, Output a, Output b) =>
        builder.Make(ArithmeticOps.Divide, [a, b], ("m_pythondiv", !a.Type.IsInteger()));

    public static Output Select(this GraphBuilder builder, Output condition, Output then, Output otherwise) =>
        builder.Make(ConditionOps.Select, [condition, then, otherwise]);

    /// <summary>Broadcast-3 of <paramref name="value"/> to <paramref name="shape"/> (NumPy rules).</summary>
    public static Output Broadcast(this GraphBuilder builder, Output value, Output shape, string mode = "numpy") =>
        builder.Make(MovementOps.Broadcast, [value, shape], ("mode", mode));

    /// <summary>
    /// Reshapes a tensor of known rank to 2-D [d0·…·d(axis−1), d(axis)·…·d(n−1)] (ONNX Flatten, and
    /// the "coerce to 2-D" of old Softmax versions). <paramref name="axis"/> is in [0, rank].
    /// </summary>
    public static Output Flatten(this GraphBuilder builder, Output value, int axis)
    {
        var outer = PartialShape.Of(value.Shape.Take(axis)).ElementCount();
        var inner = PartialShape.Of(value.Shape.Skip(axis)).ElementCount();
        if (outer.IsStatic && inner.IsStatic)
        {
            // Both lengths given, 0 meaning 0: with an empty dim, -1 (or special_zero's copied 0) would guess wrong.
            return builder.Reshape(value, builder.Int64s(outer.Length, inner.Length));
        }

        if (outer.IsStatic || inner.IsStatic)
        {
            return builder.Reshape(value, outer.IsStatic ? outer.Length : -1, outer.IsStatic ? -1 : inner.Length);
        }

        var leading = builder.Gather(builder.ShapeOf(value), builder.Int64Range(0, axis), 0);
        var outerLength = builder.Make(ReductionOps.ReduceProd, [leading, builder.Int64s(0)], ("keep_dims", true));
        return builder.Reshape(value, builder.Concat([outerLength, builder.Int64s(-1)], 0));
    }

    /// <summary>The length of dimension <paramref name="axis"/> as a 1-D, one-element i64 tensor.</summary>
    public static Output Dimension(this GraphBuilder builder, Output value, long axis) =>
        builder.Gather(builder.ShapeOf(value), builder.Int64s(axis), 0);

    /// <summary>0, 1, …, count − 1 as an i64 vector, for an i64 scalar <paramref name="count"/> (known or not).</summary>
    public static Output Range(this GraphBuilder builder, Output count) =>
        builder.Make(GenerationOps.Range, [builder.Int64(0), count, builder.Int64(1)], ("output_type", ElementType.I64));
}
