using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Shape inference and window placement shared by the pooling ops (3-D to 5-D input, pooled per channel).</summary>
internal static class PoolingGeometry
{
    /// <summary>Reads and checks the attributes, and sets output 0 (and 1 when given an index type) to the pooled shape.</summary>
    public static void Infer(InferenceContext context, long[] dilations, ElementType? indexType = null)
    {
        var window = WindowAttributes.Read(context, context.Attributes, dilations);
        var kernel = context.Attributes.GetInts("kernel");
        window.CheckLength(context, "kernel", kernel);
        context.Require(Array.TrueForAll(kernel, k => k > 0), "kernel sizes must be positive");
        context.Require(window.SpatialCount is >= 1 and <= 3, $"pools 1 to 3 spatial axes, not {window.SpatialCount}");

        var type = context.InputType(0);
        context.Require(type == ElementType.Dynamic || type.IsNumeric(), $"does not accept {type.IrName()} input");
        var data = context.InputShape(0);
        context.Require(!data.IsRankStatic || data.Rank == window.SpatialCount + 2,
            $"input {data.ToDisplayString()} must have rank {window.SpatialCount + 2} for a {window.SpatialCount}-D kernel");
        data = data.IsRankStatic ? data : PartialShape.DynamicOfRank(window.SpatialCount + 2);

        var ceil = Ceil(context.Attributes);
        var dims = new List<Dimension> { data[0], data[1] };
        for (var i = 0; i < window.SpatialCount; i++)
        {
            dims.Add(SlidingWindow.ForwardOutput(data[2 + i], window.PadType, kernel[i], window.Strides[i], window.Dilations[i], window.PadsBegin[i], window.PadsEnd[i], ceil)
                ?? throw context.Error($"the dilated kernel does not fit the padded input on spatial axis {i}"));
        }

        var output = PartialShape.Of(dims);
        context.SetOutput(0, type, output);
        if (indexType is { } indices)
        {
            context.SetOutput(1, indices, output);
        }
    }

    /// <summary>The window placements of an evaluation: one per output position, reading the input plane.</summary>
    public static WindowMap Map(EvaluationContext context, long[] dilations)
    {
        var window = WindowAttributes.Read(null, context.Attributes, dilations);
        var kernel = context.Attributes.GetInts("kernel");
        var inputSpatial = context.Input(0).Shape[2..];
        var (padsBegin, padsEnd) = window.ForwardPads(inputSpatial, kernel);
        return new WindowMap(inputSpatial, context.OutputShape(0)[2..], kernel, window.Strides, window.Dilations, padsBegin, padsEnd);
    }

    private static bool Ceil(Attributes attributes) => attributes.GetString("rounding_type").ToLowerInvariant() switch
    {
        "floor" => false,
        "ceil" => true,
        var other => throw new InferenceException($"rounding_type '{other}' is not floor or ceil."),
    };
}
