using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx;

/// <summary>InputOverride.FrozenTensor: the constant a frozen input (<c>x->1,2,3</c>) becomes, for the converter and the verifier alike.</summary>
public sealed class FrontendOptionsTests
{
    [Fact]
    public void A_rank_1_input_of_unknown_length_takes_as_many_values_as_given_in_the_entrys_type()
    {
        var entry = new InputOverride { Name = "x", Type = ElementType.I32, Value = [1, 2, 157] };

        var tensor = entry.FrozenTensor("x", ElementType.F32, PartialShape.DynamicOfRank(1), "model.onnx");

        Assert.Equal(ElementType.I32, tensor.Type);
        Assert.Equal([3L], tensor.Shape);
        Assert.Equal([1, 2, 157], tensor.As<int>());
    }

    [Fact]
    public void One_value_for_an_input_of_unknown_rank_is_a_scalar_of_the_declared_type()
    {
        var tensor = new InputOverride { Name = "x", Value = [2.5] }.FrozenTensor("x", ElementType.F16, PartialShape.DynamicRank, "model.onnx");

        Assert.Equal(ElementType.F16, tensor.Type);
        Assert.Empty(tensor.Shape);
        Assert.Equal((Half)2.5, tensor.As<Half>()[0]);
    }

    [Fact]
    public void A_declared_shape_whose_size_overflows_a_long_is_MB2003_naming_the_input()
    {
        var entry = new InputOverride { Name = "x", Value = [64] };

        var error = Assert.Throws<ModelBuildException>(() => entry.FrozenTensor("x", ElementType.I64, PartialShape.Static(1L << 40, 1L << 40), "model.onnx"));

        Assert.Equal(DiagnosticCode.InvalidInputOverride, error.Code);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ElementType.F8E5M2)]
    [InlineData(ElementType.F8E4M3)]
    [InlineData(ElementType.String)]
    public void An_input_of_a_type_without_frozen_values_is_MB2003_naming_the_type(ElementType type)
    {
        var entry = new InputOverride { Name = "x", Value = [-15384] };

        var error = Assert.Throws<ModelBuildException>(() => entry.FrozenTensor("x", type, PartialShape.Static(1), "model.onnx"));

        Assert.Equal(DiagnosticCode.InvalidInputOverride, error.Code);
        Assert.Contains(type.IrName(), error.Message, StringComparison.Ordinal);
    }
}
