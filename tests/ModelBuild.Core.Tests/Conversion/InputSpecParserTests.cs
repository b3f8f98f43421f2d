using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests.Conversion;

public sealed class InputSpecParserTests
{
    [Fact]
    public void Parses_the_rnnt_encoder_spec_with_a_shape_and_a_frozen_value()
    {
        var entries = InputSpecParser.Parse("input.1[157 1 240],1->157");

        Assert.Equal(2, entries.Count);
        Assert.Equal("input.1", entries[0].Name);
        Assert.Equal(PartialShape.Static(157, 1, 240), entries[0].Shape);
        Assert.Equal("1", entries[1].Name);
        Assert.Equal([157.0], entries[1].Value!);
        Assert.Null(entries[1].Shape);
    }

    [Fact]
    public void Parses_type_shape_and_value_list_in_mo_order()
    {
        var entry = Assert.Single(InputSpecParser.Parse("name{i64}[2]->[1 2]"));

        Assert.Equal(ElementType.I64, entry.Type);
        Assert.Equal(PartialShape.Static(2), entry.Shape);
        Assert.Equal([1.0, 2.0], entry.Value!);
    }

    [Fact]
    public void Parses_dynamic_and_bounded_dims_with_commas_or_spaces()
    {
        var entries = InputSpecParser.Parse("a[1,?,-1,1..10],b[..5 2..]");

        Assert.Equal("1,?,?,1..10", entries[0].Shape!.ToString());
        Assert.Equal("..5,2..", entries[1].Shape!.ToString());
    }

    [Fact]
    public void Unnamed_shapes_are_positional()
    {
        var entries = InputSpecParser.Parse("[1 3 224 224],[1]");

        Assert.All(entries, e => Assert.Null(e.Name));
        Assert.Equal(PartialShape.Static(1), entries[1].Shape);
    }

    [Fact]
    public void Repeated_specs_accumulate()
    {
        var entries = InputSpecParser.Parse(["a[1]", "b{f16}"]);

        Assert.Equal(["a", "b"], entries.Select(e => e.Name));
        Assert.Equal(ElementType.F16, entries[1].Type);
    }

    [Theory]
    [InlineData("a[1 2")]
    [InlineData("a[1 x]")]
    [InlineData("a{float128}")]
    [InlineData("a->oops")]
    public void Malformed_specs_are_errors_with_the_input_override_code(string spec)
    {
        var error = Assert.Throws<ModelBuildException>(() => InputSpecParser.Parse(spec));

        Assert.Equal(DiagnosticCode.InvalidInputOverride, error.Code);
        Assert.Contains(spec, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "[1,3,224,224]", "[1,3,224,224]")]
    [InlineData("", "[1 2],(3)", "[1 2],(3)")]
    [InlineData("a,b", "[1,2],[3]", "a[1,2],b[3]")]
    [InlineData("ids{i32},len->157", "[1,?],[1]", "ids[1,?]{i32},len[1]->157")]
    public void Legacy_input_shape_folds_into_the_input_entries(string inputs, string inputShape, string expected)
    {
        string[] given = inputs.Length == 0 ? [] : [inputs];

        Assert.Equal([expected], InputSpecParser.WithLegacyShapes(given, inputShape));
    }

    [Theory]
    [InlineData("a,b", "[1]", "--input names 2 inputs but --input_shape gives 1 shapes")]
    [InlineData("a[2]", "[1]", "has a shape of its own")]
    [InlineData("", "1,2", "--input_shape takes shapes in [] or ()")]
    public void Legacy_input_shape_that_does_not_fit_the_entries_is_MB2003(string inputs, string inputShape, string message)
    {
        string[] given = inputs.Length == 0 ? [] : [inputs];

        var error = Assert.Throws<ModelBuildException>(() => InputSpecParser.WithLegacyShapes(given, inputShape));

        Assert.Equal(DiagnosticCode.InvalidInputOverride, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
