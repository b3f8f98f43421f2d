using Google.Protobuf;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests;

/// <summary>Damaged files must give a ModelBuild error (or, by luck, convert), never an unhandled exception.</summary>
public sealed class CorruptModelTests
{
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
}
