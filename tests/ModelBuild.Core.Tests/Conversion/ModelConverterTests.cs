using Google.Protobuf;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Tests.Helpers;
using ModelBuild.Core.Verification;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Conversion;

/// <summary>
/// The converter as a whole: a failed conversion keeps earlier IR and leaves nothing behind, damaged files
/// give a ModelBuild error (or, by luck, convert), never an unhandled exception; conversions are
/// deterministic; and the real workloads the product promises — DLRM (EmbeddingBag exported as Loops,
/// and as ATen embedding_bag) and MLCommons RNN-T — convert and compute the ONNX Runtime outputs in
/// <c>../shared/fixtures</c>.
/// </summary>
public sealed class ModelConverterTests
{
    private static readonly Tolerance FixtureTolerance = SharedFolders.FixtureTolerance;

    [Fact]
    public void A_failed_conversion_keeps_an_earlier_good_ir_untouched_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        var xml = folder.File("model.xml");
        var good = new OnnxGraphBuilder().Input("x", ElementType.F32, 2).Node("Relu", ["x"], ["y"]).Output("y", ElementType.F32, 2);
        ModelConverter.Convert(new ConversionRequest { InputPath = good.Save(folder.File("good.onnx")), OutputXmlPath = xml });
        var before = File.ReadAllBytes(xml);
        File.WriteAllBytes(folder.File("bad.onnx"), [1, 2, 3]);

        Assert.Throws<ModelBuildException>(() => ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("bad.onnx"), OutputXmlPath = xml }));

        Assert.Equal(before, File.ReadAllBytes(xml));
        Assert.Equal(new[] { "good.onnx", "bad.onnx", "model.bin", "model.xml" }.Order(), Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Converting_the_same_model_twice_gives_identical_bytes()
    {
        using var folder = new TempFolder();
        var onnx = new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 4)
            .Initializer("w", Tensor.FromArray([0.5f, -1f, 2f, 1e6f], 4))
            .Initializer("same", Tensor.FromArray([0.5f, -1f, 2f, 1e6f], 4))
            .Node("Mul", ["x", "w"], ["t"])
            .Node("Add", ["t", "same"], ["y"])
            .Output("y", ElementType.F32, 4)
            .Save(folder.File("model.onnx"));

        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = folder.File("first.xml") });
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = folder.File("second.xml") });

        Assert.Equal(File.ReadAllBytes(folder.File("first.xml")), File.ReadAllBytes(folder.File("second.xml")));
        Assert.Equal(File.ReadAllBytes(folder.File("first.bin")), File.ReadAllBytes(folder.File("second.bin")));

        // The two identical weights are stored once: 4 f16 values = 8 bytes.
        Assert.Equal(8, new FileInfo(folder.File("first.bin")).Length);
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 0; seed < 300; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_damaged_model_fails_with_a_model_build_error_and_leaves_nothing_behind(int seed)
    {
        var random = new Random(seed);
        var bytes = SampleModel();
        switch (seed % 3)
        {
            case 0:
                // Flip a few bytes anywhere.
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
                }

                break;
            case 1:
                bytes = bytes[..random.Next(bytes.Length)];
                break;
            default:
                // Overwrite a run with random bytes.
                var start = random.Next(bytes.Length);
                random.NextBytes(bytes.AsSpan(start, Math.Min(bytes.Length - start, 1 + random.Next(16))));
                break;
        }

        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("model.onnx"), bytes);
        try
        {
            ModelConverter.Convert(new ConversionRequest { InputPath = folder.File("model.onnx"), OutputXmlPath = folder.File("out/model.xml") });
        }
        catch (ModelBuildException error)
        {
            Assert.StartsWith("MB", error.Code, StringComparison.Ordinal);
            Assert.False(Directory.Exists(folder.File("out")) && Directory.EnumerateFiles(folder.File("out")).Any(), "no partial output");
        }
    }

    private static byte[] SampleModel() =>
        new OnnxGraphBuilder()
            .Input("x", ElementType.F32, 1, 3, 8, 8)
            .Initializer("w", Tensor.FromArray(Enumerable.Range(0, 4 * 3 * 3 * 3).Select(i => i * 0.01f).ToArray(), 4, 3, 3, 3))
            .Initializer("shape", Tensor.FromArray([1L, -1L], 2))
            .Node("Conv", ["x", "w"], ["c"], OnnxGraphBuilder.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"])
            .Node("MaxPool", ["r"], ["p"], OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2))
            .Node("Reshape", ["p", "shape"], ["f"])
            .Node("Softmax", ["f"], ["y"], OnnxGraphBuilder.Int("axis", 1))
            .Output("y", ElementType.F32, 1, 64)
            .Model.ToByteArray();

    public static TheoryData<string> OnnxWorkloads() => new(SharedFolders.OnnxWorkloads);

    [Theory]
    [MemberData(nameof(OnnxWorkloads))]
    public void Fixture_computes_the_onnx_runtime_outputs(string fixture)
    {
        using var work = new TempFolder();

        var result = BackendTestVerifier.Verify(FixtureFolder(fixture), work.Path, FixtureTolerance);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.DataSets >= 2, $"{fixture} has {result.DataSets} data set(s), the fixtures hold two");
    }

    /// <summary>
    /// DLRM's three EmbeddingBags are the same ops in the IR whichever way PyTorch exported them: the Loops over
    /// the bags of the default export become EmbeddingBagOffsetsSum, as the ATen embedding_bag nodes do.
    /// </summary>
    [Theory]
    [InlineData("dlrm/dlrm_default")]
    [InlineData("dlrm/dlrm_aten")]
    public void Dlrm_embedding_bags_become_embedding_bag_ops_whichever_the_export(string fixture)
    {
        using var work = new TempFolder();
        var xml = work.File("model.xml");

        ModelConverter.Convert(new ConversionRequest { InputPath = Path.Combine(FixtureFolder(fixture), "model.onnx"), OutputXmlPath = xml });

        using var files = new MappedFileSet();
        var ops = IrReader.Read(xml, files).OrderedNodes().Select(node => node.Type).ToList();
        Assert.DoesNotContain("Loop", ops);
        Assert.Equal(3, ops.Count(op => op == "EmbeddingBagOffsetsSum"));
    }

    /// <summary>The RNN-T guide's encoder conversion (pinned input, frozen length), verified on the data set of that length.</summary>
    [Fact]
    public void Rnnt_encoder_with_pinned_input_and_frozen_length_computes_the_onnx_runtime_outputs()
    {
        using var work = new TempFolder();
        var encoder = PinnedRnntEncoder.In(work.Path);

        var result = BackendTestVerifier.Verify(encoder.Folder, work.Path, FixtureTolerance, request => request with { Frontend = encoder.Options });

        Assert.True(result.Passed, result.Failure);
        Assert.Equal(1, result.DataSets);
    }

    /// <summary>HugeCTR DIN declares an input 'dense' [?,0] that nothing uses; for 2022.1 the IR leaves it out, with a warning naming the model file.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_unused_zero_sized_input_left_out_for_an_older_target_is_reported_with_the_file_and_the_ir_still_computes_the_outputs(bool convertEmbedding)
    {
        var fixture = new HugeCtrFixture("din");
        using var work = new TempFolder();
        var xml = work.File("model.xml");

        var result = ModelConverter.Convert(new ConversionRequest
        {
            InputPath = fixture.GraphConfig, HugeCtr = fixture.Options(convertEmbedding), OutputXmlPath = xml, CompressToFp16 = false,
            Target = OpenVinoReleases.Parse("2022.1"),
        });

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCode.ZeroSizedInputLeftOut, warning.Code);
        Assert.Equal(fixture.GraphConfig, warning.File);
        using (var session = ReferenceIrRunner.Instance.Load(xml))
        {
            Assert.DoesNotContain(session.Inputs, port => port.Names.Contains("dense"));
        }

        HugeCtrHarness.AssertMatches(fixture.Expected(convertEmbedding), HugeCtrHarness.RunIr(xml, fixture.Samples(convertEmbedding)));
    }

    private static string FixtureFolder(string fixture)
    {
        var folder = SharedFolders.Fixture(fixture);
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")), $"The fixture {folder} has no model.onnx.");
        return folder;
    }
}
