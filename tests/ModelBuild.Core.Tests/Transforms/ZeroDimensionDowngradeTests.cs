using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Transforms;
using Xunit;

namespace ModelBuild.Core.Tests.Transforms;

/// <summary>
/// Static zero-sized dimensions in a model's inputs and outputs, which releases before 2024.0 refuse at load: for such a
/// target an unused input is left out with MB9002, a used input or an output is refused with MB2009; a newer target, a
/// dynamic dimension or a non-zero shape changes nothing.
/// </summary>
public sealed class ZeroDimensionDowngradeTests
{
    private static readonly OpenVinoRelease Target2022_1 = OpenVinoReleases.Parse("2022.1");

    [Theory]
    [InlineData("2022.1")]
    [InlineData("2022.3")]
    [InlineData("2023.3")]
    public void An_unused_zero_sized_input_is_left_out_with_a_warning_for_a_release_that_refuses_it(string target)
    {
        var model = DenseAndUnusedInput("?,0", out var x);

        var warnings = ZeroDimensionDowngrade.Run(model, OpenVinoReleases.Parse(target));

        Assert.Equal([x.Node], model.Parameters);
        var warning = Assert.Single(warnings);
        Assert.Equal("MB9002", warning.Code);
        Assert.Equal("dense", warning.NodeName);
        Assert.Contains("'dense' [?,0]", warning.Message, StringComparison.Ordinal);
        Assert.Contains("nothing in the model uses it", warning.Message, StringComparison.Ordinal);
        Assert.Contains("before 2024.0", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"OpenVINO {target}", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024.0")]
    [InlineData("2024.5")]
    public void A_target_from_2024_0_keeps_an_unused_zero_sized_input(string target)
    {
        var model = DenseAndUnusedInput("?,0", out _);
        var before = model.Parameters.ToList();

        var warnings = ZeroDimensionDowngrade.Run(model, OpenVinoReleases.Parse(target));

        Assert.Empty(warnings);
        Assert.Equal(before, model.Parameters);
    }

    [Theory]
    [InlineData("?,4")]
    [InlineData("0..8,4")]
    [InlineData("...")]
    public void An_unused_input_without_a_static_zero_dimension_is_kept(string shape)
    {
        var model = DenseAndUnusedInput(shape, out _);
        var before = model.Parameters.ToList();

        var warnings = ZeroDimensionDowngrade.Run(model, Target2022_1);

        Assert.Empty(warnings);
        Assert.Equal(before, model.Parameters);
    }

    [Fact]
    public void A_used_input_with_a_dynamic_dimension_is_kept()
    {
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Parse("?,3"), "x").Output();
        var model = new Model("test", [x.Node], [Node.CreateResult(new GraphBuilder().Make(ActivationOps.Relu, [x]))]);

        Assert.Empty(ZeroDimensionDowngrade.Run(model, Target2022_1));
        Assert.Equal([x.Node], model.Parameters);
    }

    [Fact]
    public void A_used_zero_sized_input_is_refused_naming_it_the_first_release_that_takes_it_and_the_dynamic_form()
    {
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Parse("0,3,4"), "data").Output();
        var model = new Model("test", [x.Node], [Node.CreateResult(new GraphBuilder().Make(ActivationOps.Relu, [x]))]);

        var error = Assert.Throws<ModelBuildException>(() => ZeroDimensionDowngrade.Run(model, Target2022_1));

        Assert.Equal("MB2009", error.Code);
        Assert.Equal("data", error.NodeName);
        Assert.Contains("Input 'data' [0,3,4] has a zero-sized dimension", error.Message, StringComparison.Ordinal);
        Assert.Contains("Target 2024.0 or later", error.Message, StringComparison.Ordinal);
        Assert.Contains("--input \"data[?,3,4]\"", error.Message, StringComparison.Ordinal);
        Assert.Equal([x.Node], model.Parameters);
    }

    [Fact]
    public void An_input_that_is_itself_an_output_counts_as_used()
    {
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Parse("2,0"), "x").Output();
        var model = new Model("test", [x.Node], [Node.CreateResult(x)]);

        var error = Assert.Throws<ModelBuildException>(() => ZeroDimensionDowngrade.Run(model, Target2022_1));

        Assert.Equal("MB2009", error.Code);
        Assert.Contains("Input 'x' [2,0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_sized_output_is_refused()
    {
        var builder = new GraphBuilder();
        var x = Node.CreateParameter(ElementType.F32, PartialShape.Parse("2,3"), "x").Output();
        var empty = builder.Make(MovementOps.Slice, [x, builder.Int64s(0), builder.Int64s(0), builder.Int64s(1), builder.Int64s(1)]);
        empty.Names.Add("y");
        var model = new Model("test", [x.Node], [Node.CreateResult(empty)]);

        var error = Assert.Throws<ModelBuildException>(() => ZeroDimensionDowngrade.Run(model, Target2022_1));

        Assert.Equal("MB2009", error.Code);
        Assert.Contains("Output 'y' [2,0]", error.Message, StringComparison.Ordinal);
        Assert.Empty(ZeroDimensionDowngrade.Run(model, OpenVinoReleases.FirstTakingZeroDimensions));
    }

    // HugeCTR's shape of a model without dense features: a used input x and an input 'dense' that nothing reads.
    private static Model DenseAndUnusedInput(string denseShape, out Output x)
    {
        x = Node.CreateParameter(ElementType.F32, PartialShape.Parse("?,3"), "x").Output();
        var dense = Node.CreateParameter(ElementType.F32, PartialShape.Parse(denseShape), "dense");
        return new Model("test", [x.Node, dense], [Node.CreateResult(new GraphBuilder().Make(ActivationOps.Relu, [x]))]);
    }
}
