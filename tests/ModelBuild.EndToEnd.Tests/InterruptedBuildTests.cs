using System.Globalization;
using ModelBuild.EndToEnd.Tests.Helpers;
using Xunit;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// A build killed (SIGKILL, nothing runs a cleanup) while it writes a model's IR leaves a temporary file; the next build
/// and `dotnet clean` recognise it by its name and remove it.
/// </summary>
public sealed class InterruptedBuildTests(PackedFeed feed)
{
    private const string Model = "models/large.onnx";

    [Fact]
    public void What_a_build_killed_mid_write_left_is_gone_after_the_next_build_and_after_clean()
    {
        var app = new ConsumerProject(feed, "killed", $"""<ItemGroup><OnnxModel Include="{Model}" CompressToFp16="false" /></ItemGroup>""");
        try
        {
            // 384 MiB of weights: writing them takes long enough to be caught in the middle.
            TestModels.WriteLargeEmbedding(app.Path(Model), mebibytes: 384);
            var killed = KillWhileWritingIr(app);
            Assert.NotEmpty(killed);

            var next = app.Build();
            Assert.True(next.Succeeded, next.ToString());
            Assert.Equal([Model], next.ConvertedModels);
            Assert.Empty(TemporaryFiles.Under(app.Folder));
            // The IR is whole: its .bin ends where the last constant the .xml points into ends, and holds the table.
            var constants = new IrXml(Path.Combine(app.OutDir, "models/large.xml")).LayersOfType("Const")
                .Select(c => long.Parse(IrXml.Data(c, "offset")!, CultureInfo.InvariantCulture) + long.Parse(IrXml.Data(c, "size")!, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(constants.Max(), new FileInfo(Path.Combine(app.OutDir, "models/large.bin")).Length);
            Assert.Contains(new FileInfo(app.Path(Model + ".data")).Length, constants);

            app.Touch(Model);
            Assert.NotEmpty(KillWhileWritingIr(app));
            var clean = app.Run("clean");
            Assert.True(clean.Succeeded, clean.ToString());
            Assert.Empty(TemporaryFiles.Under(app.Folder));
            Assert.Empty(Directory.GetFiles(app.Path("bin"), "large.*", SearchOption.AllDirectories));
        }
        finally
        {
            // Nearly a gigabyte of model and IR: gone as soon as the test is done, not with the run's folder.
            Directory.Delete(app.Folder, recursive: true);
        }
    }

    // Starts a build, kills it once the IR's .bin is being written, and returns the temporary files it left. A build
    // that got its IR in place between the look and the kill is tried again.
    private static List<string> KillWhileWritingIr(ConsumerProject app)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var build = app.StartBuild();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!Directory.EnumerateFiles(app.Folder, "large.bin.modelbuild-*.tmp", SearchOption.AllDirectories).Any(TemporaryFiles.IsBeingWritten))
            {
                if (build.HasExited)
                {
                    Assert.Fail($"The build finished before its IR was caught being written.\n{build.Kill()}");
                }

                Assert.True(DateTime.UtcNow < deadline, "The build did not start writing IR in 5 minutes.");
                Thread.Sleep(5);
            }

            var killed = build.Kill();
            var left = TemporaryFiles.Under(app.Folder);
            if (left.Count > 0)
            {
                return left;
            }

            Assert.True(attempt < 3, $"Three builds finished writing before they were killed.\n{killed}");
            app.Touch(Model);
        }
    }
}
