using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Input checks the convolution ops share.</summary>
internal static class ConvolutionChecks
{
    /// <summary>The element type data and filters share (numeric, equal unless one is dynamic).</summary>
    public static ElementType CommonType(InferenceContext context)
    {
        var data = context.InputType(0);
        var filters = context.InputType(1);
        context.Require(data == ElementType.Dynamic || data.IsNumeric(), $"does not accept {data.IrName()} data");
        context.Require(data == ElementType.Dynamic || filters == ElementType.Dynamic || data == filters,
            $"data is {data.IrName()} but filters are {filters.IrName()}");
        return data == ElementType.Dynamic ? filters : data;
    }

    /// <summary>Data and filter shapes with static ranks (dynamic dims where a rank is unknown), checked against the spatial count.</summary>
    public static (PartialShape Data, PartialShape Filters) Shapes(InferenceContext context, int spatial, int filterPrefix)
    {
        var data = context.InputShape(0);
        var filters = context.InputShape(1);
        context.Require(!data.IsRankStatic || data.Rank == spatial + 2,
            $"data {data.ToDisplayString()} must have rank {spatial + 2} for {spatial} spatial axes");
        context.Require(!filters.IsRankStatic || filters.Rank == spatial + filterPrefix,
            $"filters {filters.ToDisplayString()} must have rank {spatial + filterPrefix} for {spatial} spatial axes");
        return (data.IsRankStatic ? data : PartialShape.DynamicOfRank(spatial + 2),
            filters.IsRankStatic ? filters : PartialShape.DynamicOfRank(spatial + filterPrefix));
    }

    public static void RequireChannels(InferenceContext context, Dimension actual, Dimension expected, string what) =>
        context.Require(actual.IsCompatible(expected), $"data has {actual} {what} but the filters expect {expected}");
}
