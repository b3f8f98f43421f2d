using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Weights;
using ModelBuild.Fuzzing.Inputs;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Conversion;

/// <summary>
/// Models that ask for unbounded work at conversion time convert with what can be computed folded and
/// the rest left to OpenVINO, in bounded memory: the bytes the conversion's thread allocates are
/// asserted (their time is measured by <c>Fuzzer replay</c> on <c>Fuzzer hostile</c>'s models, in
/// <see cref="FuzzingTests"/>, not here).
/// </summary>
public sealed class HostileModelTests
{
    /// <summary>Far below what the hostile sizes would take (2^40 elements and more), above what the budget lets through.</summary>
    private const long SmallModelAllocationLimit = 1L << 30;

    /// <summary>The 100,000-node chains allocate per node (about 3.5 MB of protobuf); linear, and bounded by this.</summary>
    private const long ChainAllocationLimit = 3L << 30;

    public static TheoryData<string, string> Expectations() => new()
    {
        { "loop_2pow62_trips", "Loop" },
        { "loop_doubling_value", "Loop" },
        { "input_of_huge_declared_shape", "ReLU" },
        { "range_2pow40", "Range" },
        { "tile_2pow40", "Tile" },
        { "expand_2pow40", "Broadcast" },
        { "constant_of_shape_2pow62", "Broadcast" },
        { "constant_of_shape_over_budget", "Broadcast" },
        { "relu_chain_100000", "ReLU" },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void A_hostile_model_converts_leaving_the_unaffordable_node_unevaluated(string name, string unevaluatedLayer)
    {
        var (layers, allocated) = Convert(name);

        Assert.Contains(unevaluatedLayer, layers);
        Assert.True(allocated < (name.Contains("chain", StringComparison.Ordinal) ? ChainAllocationLimit : SmallModelAllocationLimit),
            $"{name}: {allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_chain_of_100000_folds_folds_completely()
    {
        var (layers, allocated) = Convert("folded_chain_100000", model =>
            Assert.Equal([100_001.0, 100_002.0, 100_003.0, 100_004.0], model.Results[0].Input(0).Node.Constant!.GetValue().ToDoubleArray()));

        Assert.Equal(["Const", "Result"], layers.Distinct().Order(StringComparer.Ordinal));
        Assert.True(allocated < ChainAllocationLimit, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_initializer_declaring_2pow80_elements_without_data_is_refused_without_allocating_them()
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ModelBuildException>(() => Convert("initializer_of_huge_declared_shape"));

        Assert.Equal(DiagnosticCode.MalformedModel, error.Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < SmallModelAllocationLimit);
    }

    private static (List<string> Layers, long Allocated) Convert(string name, Action<ModelBuild.Core.Graph.Model>? check = null)
    {
        using var folder = new TempFolder();
        var input = HostileModels.ToInput(name, HostileModels.All()[name]);
        input.Materialize(folder.Path);
        var xml = folder.File("out/model.xml");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("model.onnx"), OutputXmlPath = xml, CompressToFp16 = false });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        using var files = new MappedFileSet();
        var model = IrReader.Read(xml, files);
        check?.Invoke(model);
        return (model.OrderedNodes().Select(n => n.Type).ToList(), allocated);
    }
}
