using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.HugeCtr;

/// <summary>
/// The .onnx ModelBuild writes against the one hugectr2onnx wrote for the same fixture: same IR and
/// opset version, graph name, inputs and outputs (names, order, types, shapes with an unset batch
/// dimension), nodes in the same order with the same attributes, and initializers with the same names,
/// order, types, shapes and values (ModelBuild stores them as raw_data, the original as typed fields).
/// </summary>
public sealed class HugeCtrStructureTests
{
    public static TheoryData<string, bool> WorkingReferences()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { "wdl", "dcn", "deepfm", "dlrm", "bn_ln", "din", "bst", "misc" })
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        // In keys mode the reference of edge_vocab_overflow lost its table; ModelBuild refuses that model instead.
        data.Add("edge_vocab_overflow", false);
        return data;
    }

    [Theory]
    [MemberData(nameof(WorkingReferences))]
    public void Onnx_matches_the_reference_converter(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        using var folder = new TempFolder();
        using var files = new MappedFileSet();
        var (ours, reference) = ReadBoth(fixture, convertEmbedding, folder, files);

        AssertSameInterface(reference, ours);
        Assert.Equal(reference.Proto.Graph.Node, ours.Proto.Graph.Node);
        AssertSameInitializers(reference, ours);
    }

    [Theory]
    [InlineData("edge_ce", true)]
    [InlineData("edge_ce", false)]
    [InlineData("edge_mce", true)]
    [InlineData("edge_mce", false)]
    public void Cross_entropy_losses_write_the_declared_output_instead_of_output(string name, bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture(name);
        using var folder = new TempFolder();
        using var files = new MappedFileSet();
        var (ours, reference) = ReadBoth(fixture, convertEmbedding, folder, files);

        AssertSameInterface(reference, ours);
        var expected = reference.Proto.Graph.Node.Select(n => n.Clone()).ToList();
        Assert.Equal("output", expected[^1].Output[0]);
        expected[^1].Output[0] = "label";
        Assert.Equal(expected, ours.Proto.Graph.Node);
        AssertSameInitializers(reference, ours);
    }

    private static (OnnxModel Ours, OnnxModel Reference) ReadBoth(HugeCtrFixture fixture, bool convertEmbedding, TempFolder folder, MappedFileSet files)
    {
        var path = folder.File("model.onnx");
        HugeCtrFrontend.WriteOnnx(fixture.GraphConfig, fixture.Options(convertEmbedding), path);
        return (OnnxModelReader.Read(path, files), OnnxModelReader.Read(fixture.Reference(convertEmbedding)!, files));
    }

    private static void AssertSameInterface(OnnxModel reference, OnnxModel ours)
    {
        Assert.Equal(reference.Proto.IrVersion, ours.Proto.IrVersion);
        Assert.Equal(reference.Proto.OpsetImport, ours.Proto.OpsetImport);
        Assert.Equal(reference.Proto.Graph.Name, ours.Proto.Graph.Name);
        Assert.Equal(reference.Proto.Graph.Input, ours.Proto.Graph.Input);
        Assert.Equal(reference.Proto.Graph.Output, ours.Proto.Graph.Output);
    }

    private static void AssertSameInitializers(OnnxModel reference, OnnxModel ours)
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
