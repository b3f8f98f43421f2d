using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Frontends.Onnx;

/// <summary>Model-local functions that cannot be inlined: recursive (the translator once overflowed its stack), or defined twice.</summary>
public sealed class OnnxFunctionTests
{
    [Theory]
    [InlineData("f")]
    [InlineData("g")]
    public void A_recursive_function_is_an_invalid_graph(string calledByF)
    {
        var model = WithFunctions(Function("f", calls: calledByF), Function("g", calls: "f"));

        var error = Assert.Throws<ModelBuildException>(() => Convert(model));

        Assert.Equal(DiagnosticCode.InvalidGraph, error.Code);
        Assert.Contains("calls itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_defined_twice_is_an_invalid_graph()
    {
        var model = WithFunctions(Function("f", calls: "Relu"), Function("f", calls: "Relu"));

        var error = Assert.Throws<ModelBuildException>(() => Convert(model));

        Assert.Equal(DiagnosticCode.InvalidGraph, error.Code);
        Assert.Contains("defined twice", error.Message, StringComparison.Ordinal);
    }

    private static OnnxGraphBuilder WithFunctions(params FunctionProto[] functions)
    {
        var model = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 2)
            .DomainNode("local", 1, "f", ["x"], ["y"])
            .Output("y", ElementType.F32, 2);
        model.Model.Functions.AddRange(functions);
        return model;
    }

    private static FunctionProto Function(string name, string calls)
    {
        var function = new FunctionProto { Name = name, Domain = "local", Input = { "a" }, Output = { "b" } };
        function.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        function.Node.Add(new NodeProto { OpType = calls, Domain = calls == "Relu" ? "" : "local", Input = { "a" }, Output = { "b" } });
        return function;
    }

    private static void Convert(OnnxGraphBuilder model)
    {
        using var folder = new TempFolder();
        ModelConverter.Convert(new ConversionRequest { InputPath = model.Save(folder.File("model.onnx")), OutputXmlPath = folder.File("model.xml") });
    }
}
