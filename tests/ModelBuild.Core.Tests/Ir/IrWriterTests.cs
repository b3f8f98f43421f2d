using System.Diagnostics;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Ir;

/// <summary>How a conversion replaces the IR already at its output path.</summary>
public sealed class IrWriterTests
{
    [Fact]
    public void Reconverting_over_a_larger_previous_ir_leaves_exactly_the_new_bytes()
    {
        using var folder = new TempFolder();
        var large = Model(folder, "large.onnx", 300_000);
        var small = Model(folder, "small.onnx", 1000);
        Convert(large, folder.File("out.xml"));

        Convert(small, folder.File("out.xml"));
        Convert(small, folder.File("fresh.xml"));

        Assert.Equal(File.ReadAllBytes(folder.File("fresh.bin")), File.ReadAllBytes(folder.File("out.bin")));
        Assert.Equal(["fresh.bin", "fresh.xml", "large.onnx", "out.bin", "out.xml", "small.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_previous_bin_with_another_name_is_replaced_never_written_through()
    {
        using var folder = new TempFolder();
        Convert(Model(folder, "first.onnx", 5000), folder.File("out.xml"));
        var before = File.ReadAllBytes(folder.File("out.bin"));
        Link("-f", folder.File("out.bin"), folder.File("hard-linked.bin"));
        File.Copy(folder.File("out.bin"), folder.File("target.bin"));

        Convert(Model(folder, "second.onnx", 7000, seed: 2), folder.File("out.xml"));
        Assert.Equal(before, File.ReadAllBytes(folder.File("hard-linked.bin")));

        File.Delete(folder.File("out.bin"));
        File.CreateSymbolicLink(folder.File("out.bin"), folder.File("target.bin"));
        Convert(Model(folder, "third.onnx", 9000, seed: 3), folder.File("out.xml"));
        Assert.Equal(before, File.ReadAllBytes(folder.File("target.bin")));
        Assert.Null(new FileInfo(folder.File("out.bin")).LinkTarget);
    }

    private static string Model(TempFolder folder, string name, int length, int seed = 1)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        return new OnnxGraphBuilder()
            .Input("x", ElementType.F32, length)
            .Initializer("w", Tensor.FromArray(weights, length))
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", ElementType.F32, length)
            .Save(folder.File(name));
    }

    private static void Convert(string onnx, string xml) =>
        ModelConverter.Convert(new ConversionRequest { InputPath = onnx, OutputXmlPath = xml, CompressToFp16 = false });

    // .NET creates symbolic links only; ln makes the hard link.
    private static void Link(string option, string existing, string link)
    {
        using var ln = Process.Start("ln", [option, existing, link]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }
}
