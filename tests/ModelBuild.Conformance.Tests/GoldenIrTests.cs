using System.Xml.Linq;
using ModelBuild.Conformance.Tests.Helpers;
using ModelBuild.Core.Conversion;
using Xunit;

namespace ModelBuild.Conformance.Tests;

/// <summary>
/// ../shared/golden-ir holds the IR OpenVINO 2022.2's own ONNX frontend wrote for the node tests. Our IR
/// of the same model must present a compatible interface: the same inputs and outputs in order, sharing
/// tensor names (what OpenVINO's loader matches), with equal precisions and compatible dims (-1 matches
/// any length: where 2022.2 left a dim dynamic we may know it). Known deviations of 2022.2 from the ONNX
/// specification, where our IR is the one that computes the expected outputs, are listed below.
/// </summary>
public sealed class GoldenIrTests
{
    // OpenVINO 2022.2 got these output shapes wrong; the backend tests confirm ours (see research §6, §10).
    private static readonly Dictionary<string, string> KnownOpenVinoDeviations = new(StringComparer.Ordinal)
    {
        ["test_convtranspose_autopad_same"] = "2022.2 gives SAME_UPPER ConvTranspose a 7x7 output where ONNX specifies 6x6",
        ["test_lstm_batchwise"] = "2022.2 ignores LSTM layout=1 (batch first)",
        ["test_gru_batchwise"] = "2022.2 ignores GRU layout=1 (batch first)",
        ["test_simple_rnn_batchwise"] = "2022.2 ignores RNN layout=1 (batch first)",
        ["test_shape_start_1"] = "2022.2 clamps Shape-15 start/end wrongly",
        ["test_shape_start_1_end_2"] = "2022.2 clamps Shape-15 start/end wrongly",
        ["test_shape_start_1_end_negative_1"] = "2022.2 clamps Shape-15 start/end wrongly",
        ["test_shape_start_negative_1"] = "2022.2 clamps Shape-15 start/end wrongly",
        ["test_shape_end_1"] = "2022.2 clamps Shape-15 start/end wrongly",
        ["test_shape_end_negative_1"] = "2022.2 clamps Shape-15 start/end wrongly",

        // Deliberate: ModelBuild keeps every declared graph input; 2022.2 dropped the ones no node uses.
        ["test_castlike_DOUBLE_to_FLOAT_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_castlike_DOUBLE_to_FLOAT16_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_castlike_FLOAT_to_DOUBLE_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_castlike_FLOAT_to_FLOAT16_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_castlike_FLOAT16_to_DOUBLE_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_castlike_FLOAT16_to_FLOAT_expanded"] = "'like' is unused after expansion; ModelBuild keeps the declared input",
        ["test_dropout_default_ratio"] = "the ratio input is unused at inference; ModelBuild keeps the declared input",
        ["test_dropout_default_mask_ratio"] = "the ratio input is unused at inference; ModelBuild keeps the declared input",

        // 2022.2 renamed the input of a reduction it treated as a no-op after the reduction's output.
        ["test_reduce_sum_empty_axes_input_noop_example"] = "2022.2 gave the input port the output's name",
        ["test_reduce_sum_empty_axes_input_noop_random"] = "2022.2 gave the input port the output's name",
        ["test_reduce_sum_negative_axes_keepdims_random"] = "2022.2 gave the input port the output's name",
    };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var golden in Directory.GetFiles(GoldenFolder(), "*.xml").Order(StringComparer.Ordinal))
        {
            var test = Path.GetFileNameWithoutExtension(golden);
            if (Directory.Exists(Path.Combine(BackendTestSuites.DataRoot, "node", test))
                && Expectations.Instance.ExpectedFailure(Precision.Fp32, BackendTestSuites.Key("node", test)) is null
                && !KnownOpenVinoDeviations.ContainsKey(test))
            {
                data.Add(test);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inputs_and_outputs_match_what_OpenVINO_writes(string test)
    {
        var work = Directory.CreateTempSubdirectory("modelbuild-golden-");
        try
        {
            var xml = Path.Combine(work.FullName, "model.xml");
            ModelConverter.Convert(new ConversionRequest
            {
                InputPath = Path.Combine(BackendTestSuites.DataRoot, "node", test, "model.onnx"),
                OutputXmlPath = xml,
                CompressToFp16 = false,
            });

            var golden = Interface(XDocument.Load(Path.Combine(GoldenFolder(), test + ".xml")));
            var ours = Interface(XDocument.Load(xml));

            // An input with no elements carries no data; OpenVINO folded such inputs into constants.
            var inputs = ours.Inputs.Where(i => i.Dims.Count == 0 || !i.Dims.Contains(0)).ToList();
            AssertCompatible(golden.Inputs, inputs, "input");
            AssertCompatible(golden.Outputs, ours.Outputs, "output");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string GoldenFolder()
    {
        var folder = Path.Combine(SharedFolders.RepositoryRoot, "..", "shared", "golden-ir", "node");
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The golden IR folder {folder} is missing.");
    }

    private static void AssertCompatible(List<PortInfo> expected, List<PortInfo> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{expected.Count} {what}s expected, {actual.Count} found");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Names.Overlaps(actual[i].Names), $"{what} {i}: names {string.Join(",", actual[i].Names)}, expected one of {string.Join(",", expected[i].Names)}");
            Assert.Equal(expected[i].Precision, actual[i].Precision);
            Assert.True(expected[i].Dims.Count == actual[i].Dims.Count
                && expected[i].Dims.Zip(actual[i].Dims).All(d => d.First == -1 || d.Second == -1 || d.First == d.Second),
                $"{what} {i}: dims [{string.Join(",", actual[i].Dims)}], expected [{string.Join(",", expected[i].Dims)}]");
        }
    }

    // Inputs: the Parameters' ports. Outputs: the ports feeding the Results (their names are the model output names).
    private static (List<PortInfo> Inputs, List<PortInfo> Outputs) Interface(XDocument document)
    {
        var graph = document.Root!;
        var layers = graph.Element("layers")!.Elements("layer").ToList();
        var byId = layers.ToDictionary(l => (string)l.Attribute("id")!);
        var inputs = layers.Where(l => (string?)l.Attribute("type") == "Parameter")
            .Select(l => PortInfo.Of(l.Element("output")!.Element("port")!))
            .ToList();
        var outputs = new List<PortInfo>();
        foreach (var result in layers.Where(l => (string?)l.Attribute("type") == "Result"))
        {
            var edge = graph.Element("edges")!.Elements("edge").Single(e => (string?)e.Attribute("to-layer") == (string?)result.Attribute("id"));
            var producer = byId[(string)edge.Attribute("from-layer")!];
            outputs.Add(PortInfo.Of(producer.Element("output")!.Elements("port").Single(p => (string?)p.Attribute("id") == (string?)edge.Attribute("from-port"))));
        }

        return (inputs, outputs);
    }

    private sealed record PortInfo(HashSet<string> Names, string Precision, List<long> Dims)
    {
        public static PortInfo Of(XElement port) => new(
            ((string?)port.Attribute("names") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            (string?)port.Attribute("precision") ?? "",
            port.Elements("dim").Select(d => long.Parse(d.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }
}
