using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Ops;

/// <summary>The symbolic values binary element-wise ops keep for shape arithmetic.</summary>
public sealed class BinaryElementwiseOpTests
{
    [Fact]
    public void Arithmetic_on_a_shape_vector_with_a_one_element_operand_keeps_the_known_dims()
    {
        // y = Reshape(x, Shape(x) * [1]): the batch stays dynamic, the 3 stays known.
        var onnx = new OnnxGraphBuilder()
            .DynamicInput("x", ElementType.F32, -1, 3)
            .Initializer("one", Tensor.FromArray([1L], 1))
            .Node("Shape", ["x"], ["shape"])
            .Node("Mul", ["shape", "one"], ["scaled"])
            .Node("Reshape", ["x", "scaled"], ["y"])
            .Output("y", ElementType.F32, 1, 3);

        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx.Save(folder.File("model.onnx")), OutputXmlPath = xml });
        using var files = new MappedFileSet();
        var model = IrReader.Read(xml, files);

        Assert.Equal("?,3", model.Results[0].Input(0).Shape.ToString());
    }
}
