using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>The .onnx ModelBuild writes for a fixture next to the one hugectr2onnx wrote, and comparisons of the two.</summary>
public static class HugeCtrReference
{
    public static (OnnxModel Ours, OnnxModel Reference) ReadBoth(HugeCtrFixture fixture, bool convertEmbedding, TempFolder folder, MappedFileSet files)
    {
        var path = folder.File("model.onnx");
        HugeCtrFrontend.WriteOnnx(fixture.GraphConfig, fixture.Options(convertEmbedding), path);
        return (OnnxModelReader.Read(path, files), OnnxModelReader.Read(fixture.Reference(convertEmbedding)!, files));
    }

    /// <summary>Same IR and opset version, graph name, inputs and outputs.</summary>
    public static void AssertSameInterface(OnnxModel reference, OnnxModel ours)
    {
        Assert.Equal(reference.Proto.IrVersion, ours.Proto.IrVersion);
        Assert.Equal(reference.Proto.OpsetImport, ours.Proto.OpsetImport);
        Assert.Equal(reference.Proto.Graph.Name, ours.Proto.Graph.Name);
        Assert.Equal(reference.Proto.Graph.Input, ours.Proto.Graph.Input);
        Assert.Equal(reference.Proto.Graph.Output, ours.Proto.Graph.Output);
    }

    /// <summary>Initializers with the same names, order, types, shapes and values (however they are stored).</summary>
    public static void AssertSameInitializers(OnnxModel reference, OnnxModel ours)
    {
        var expected = reference.Proto.Graph.Initializer;
        var actual = ours.Proto.Graph.Initializer;
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].DataType, actual[i].DataType);
            Assert.Equal(expected[i].Dims, actual[i].Dims);
            Assert.True(OnnxTensors.ToTensor(expected[i], reference).ToBytes().AsSpan().SequenceEqual(OnnxTensors.ToTensor(actual[i], ours).ToBytes()),
                $"initializer '{expected[i].Name}' holds other values");
        }
    }
}
