using System.Security.Cryptography;
using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// `modelconvert` processes that share a folder, or an output, or are killed (SIGKILL: nothing runs a cleanup) while they
/// write: every run ends with IR byte for byte equal to a clean conversion's, or a clear error, and no temporary file
/// outlives the next conversion of the same output.
/// </summary>
public sealed class ConcurrentConversionTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    private static readonly TimeSpan ConversionTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each test once; MODELBUILD_TEST_REPETITIONS=10 repeats each in one run (one packed tool), as races need.
    /// </summary>
    public static TheoryData<int> Repetitions { get; } =
        [.. Enumerable.Range(1, int.Parse(Environment.GetEnvironmentVariable("MODELBUILD_TEST_REPETITIONS") ?? "1", System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [MemberData(nameof(Repetitions))]
    public void Eight_conversions_into_one_folder_each_write_the_IR_of_a_clean_conversion(int repetition)
    {
        using var scratch = new ScratchFolder(tool.Path($"shared-{repetition}-{Guid.NewGuid():N}"));
        var folder = scratch.Path;
        string[] backendTests = ["test_add", "test_relu", "test_conv_with_strides_padding", "test_matmul_2d", "test_softmax_axis_0", "test_lstm_defaults"];
        var models = backendTests.Select(test => TestModels.CopyBackendModel(test, Path.Combine(folder, "models", test + ".onnx")))
            .Concat(new[] { "embedding_a", "embedding_b" }.Select(name => TestModels.WriteLargeEmbedding(Path.Combine(folder, "models", name + ".onnx"), mebibytes: 24)))
            .ToList();
        var outputs = models.Select(model => Path.Combine(folder, Path.GetFileNameWithoutExtension(model) + ".xml")).ToList();

        // One at a time first: what each IR must be.
        var clean = models.Zip(outputs, (model, output) => ConvertAlone(model, output)).ToList();
        outputs.ForEach(DeleteIr);

        var conversions = models.Zip(outputs, (model, output) => Start(model, output)).ToList();
        var results = conversions.Select(conversion => conversion.WaitForExit(ConversionTimeout)).ToList();
        conversions.ForEach(conversion => conversion.Dispose());

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        Assert.Equal(clean, outputs.Select(IrDigest));
        Assert.Empty(TemporaryFiles.Under(folder));
    }

    [Theory]
    [MemberData(nameof(Repetitions))]
    public void The_same_model_converted_twice_at_once_ends_with_the_IR_of_a_clean_conversion(int repetition)
    {
        using var scratch = new ScratchFolder(tool.Path($"twice-{repetition}-{Guid.NewGuid():N}"));
        var folder = scratch.Path;
        var model = TestModels.WriteLargeEmbedding(Path.Combine(folder, "large.onnx"), mebibytes: 64);
        var output = Path.Combine(folder, "ir", "large.xml");
        var clean = ConvertAlone(model, output);
        DeleteIr(output);

        using var first = Start(model, output);
        using var second = Start(model, output);
        var results = new[] { first.WaitForExit(ConversionTimeout), second.WaitForExit(ConversionTimeout) };

        // Each writes through its own temporary files and renames them into place whole; the last rename wins, and
        // both wrote the same bytes.
        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        Assert.Equal(clean, IrDigest(output));
        Assert.Empty(TemporaryFiles.Under(folder));
    }

    [Theory]
    [MemberData(nameof(Repetitions))]
    public void A_conversion_killed_mid_write_leaves_no_IR_and_the_next_run_removes_its_temporary_file_and_writes_clean_IR(int repetition)
    {
        using var scratch = new ScratchFolder(tool.Path($"killed-{repetition}-{Guid.NewGuid():N}"));
        var folder = scratch.Path;
        var model = TestModels.WriteLargeEmbedding(Path.Combine(folder, "large.onnx"), mebibytes: 192);
        var output = Path.Combine(folder, "ir", "large.xml");
        var clean = ConvertAlone(model, output);

        // Over an existing IR: the killed run had already removed it (no stale IR beside a half-written one).
        var left = KillWhileWritingBin(model, output);
        Assert.NotEmpty(left);
        Assert.False(File.Exists(output), "the killed run left an .xml");
        Assert.False(File.Exists(Path.ChangeExtension(output, ".bin")), "the killed run left a .bin");

        var next = Run(model, output);
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Empty(TemporaryFiles.Under(folder));
        Assert.Equal(clean, IrDigest(output));
    }

    // Starts conversions and kills each once its .bin is being written; returns the temporary files the kill left. A run
    // that renamed its IR into place between the look and the kill is tried again.
    private List<string> KillWhileWritingBin(string model, string output)
    {
        var folder = Path.GetDirectoryName(output)!;
        var pattern = Path.GetFileNameWithoutExtension(output) + ".bin.modelbuild-*.tmp";
        for (var attempt = 1; ; attempt++)
        {
            using var conversion = Start(model, output);
            var deadline = DateTime.UtcNow + ConversionTimeout;
            while (!Directory.EnumerateFiles(folder, pattern).Any(TemporaryFiles.IsBeingWritten))
            {
                if (conversion.HasExited)
                {
                    Assert.Fail($"The conversion finished before its .bin was caught being written.\n{conversion.Kill()}");
                }

                Assert.True(DateTime.UtcNow < deadline, "The conversion did not start writing its .bin in time.");
                Thread.Sleep(2);
            }

            var killed = conversion.Kill();
            var left = TemporaryFiles.Under(folder);
            if (left.Count > 0)
            {
                return left;
            }

            Assert.True(attempt < 3, $"Three conversions finished writing before they were killed.\n{killed}");
        }
    }

    private (string Xml, string Bin) ConvertAlone(string model, string output)
    {
        var result = Run(model, output);
        Assert.True(result.ExitCode == 0, result.ToString());
        return IrDigest(output);
    }

    private CommandResult Run(string model, string output)
    {
        using var conversion = Start(model, output);
        return conversion.WaitForExit(ConversionTimeout);
    }

    // FP32 weights: the .bin holds the source's bytes, which the digest of a 192 MiB table then covers.
    private RunningCommand Start(string model, string output) =>
        tool.Feed.StartDotnet(tool.Folder, "tool", "run", "modelconvert", model, "--output_model", output, "--compress_to_fp16", "False");

    private static (string Xml, string Bin) IrDigest(string xml) => (Digest(xml), Digest(Path.ChangeExtension(xml, ".bin")));

    private static string Digest(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static void DeleteIr(string xml)
    {
        File.Delete(xml);
        File.Delete(Path.ChangeExtension(xml, ".bin"));
    }

    // Hundreds of megabytes of models and IR per test, repeated: gone when the test is done, not with the run's folder.
    private sealed class ScratchFolder(string path) : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(path).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
