using System.Text;
using ModelBuild.Core.Files;
using Xunit;

namespace ModelBuild.Core.Tests.Files;

public sealed class StagedFileTests
{
    // The temporary-file name is a contract: ModelBuild.targets globs for it to find what a killed build left.
    private const string AbandonedName = "model.bin.modelbuild-0123456789abcdef.tmp";

    [Fact]
    public void A_committed_file_replaces_its_destination_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var destination = folder.File("model.bin");
        File.WriteAllText(destination, "old");

        using (var staged = StagedFile.Create(destination))
        {
            staged.Stream.Write("new"u8);
            Assert.Equal("old", File.ReadAllText(destination));
            Assert.Matches(@"^model\.bin\.modelbuild-[0-9a-f]{16}\.tmp$", Path.GetFileName(staged.TemporaryPath));
            Assert.Equal([staged.TemporaryPath], StagedFile.TemporaryFilesOf(destination));
            staged.Commit();
        }

        Assert.Equal("new", File.ReadAllText(destination));
        Assert.Equal(["model.bin"], FileNames(folder));
    }

    [Fact]
    public void A_file_disposed_without_commit_is_deleted_and_the_destination_kept()
    {
        using var folder = new TempFolder();
        var destination = folder.File("model.bin");
        File.WriteAllText(destination, "old");

        using (var staged = StagedFile.Create(destination))
        {
            staged.Stream.Write("partial"u8);
        }

        Assert.Equal("old", File.ReadAllText(destination));
        Assert.Equal(["model.bin"], FileNames(folder));
    }

    [Fact]
    public void Creating_a_file_removes_what_a_killed_writer_of_the_same_destination_left_and_nothing_else()
    {
        using var folder = new TempFolder();
        var destination = folder.File("model.bin");
        string[] unrelated =
        [
            "model.xml.modelbuild-0123456789abcdef.tmp", // another destination's
            "model.bin.modelbuild-0123456789ABCDEF.tmp", // not a name ModelBuild makes
            "model.bin.modelbuild-01234567.tmp",
            "model.bin.backup.tmp",
            "model.bin.1234.tmp",
        ];
        foreach (var name in unrelated.Append(AbandonedName))
        {
            File.WriteAllText(folder.File(name), "left over");
        }

        using (var staged = StagedFile.Create(destination))
        {
            staged.Commit();
        }

        Assert.Equal(unrelated.Append("model.bin").Order(StringComparer.Ordinal), FileNames(folder));
    }

    [Fact]
    public void Removing_abandoned_files_never_touches_one_a_live_writer_holds()
    {
        using var folder = new TempFolder();
        var destination = folder.File("model.bin");
        File.WriteAllText(folder.File(AbandonedName), "left over");

        using var running = StagedFile.Create(destination);
        running.Stream.Write("still writing"u8);
        File.WriteAllText(folder.File(AbandonedName), "left over again");

        // A second conversion of the same output starts while the first is still writing: it removes the
        // abandoned file, not the first writer's.
        using (var second = StagedFile.Create(destination))
        {
            Assert.False(File.Exists(folder.File(AbandonedName)));
            Assert.Equal(new[] { running.TemporaryPath, second.TemporaryPath }.Order(StringComparer.Ordinal), StagedFile.TemporaryFilesOf(destination).Order(StringComparer.Ordinal));
            Assert.Empty(StagedFile.RemoveAbandoned(destination));
            second.Stream.Write("second"u8);
            second.Commit();
        }

        Assert.True(File.Exists(running.TemporaryPath));
        running.Commit();
        Assert.Equal("still writing", File.ReadAllText(destination));
        Assert.Equal(["model.bin"], FileNames(folder));
    }

    [Fact]
    public void Two_writers_of_one_destination_each_write_their_own_file_and_the_last_commit_wins_whole()
    {
        using var folder = new TempFolder();
        var destination = folder.File("state.deps");
        var contents = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 100_000)).ToList();

        Parallel.ForEach(contents, text => StagedFile.WriteAllText(destination, text));

        Assert.Contains(File.ReadAllText(destination, Encoding.UTF8), contents);
        Assert.Equal(["state.deps"], FileNames(folder));
    }

    [Theory]
    [InlineData(AbandonedName, "model.bin")]
    [InlineData("a.b.c.modelbuild-ffffffffffffffff.tmp", "a.b.c")]
    [InlineData("model.bin.modelbuild-0123456789ABCDEF.tmp", null)]
    [InlineData("model.bin.1234.tmp", null)]
    [InlineData(".modelbuild-0123456789abcdef.tmp", null)]
    [InlineData("model.bin", null)]
    public void A_temporary_file_names_its_destination(string name, string? destination)
    {
        using var folder = new TempFolder();

        Assert.Equal(destination is null ? null : folder.File(destination), StagedFile.DestinationOf(folder.File(name)));
    }

    [Fact]
    public void Abandoned_files_of_a_destination_in_a_missing_folder_are_none()
    {
        using var folder = new TempFolder();

        Assert.Empty(StagedFile.RemoveAbandoned(folder.File("missing/model.bin")));
    }

    private static List<string> FileNames(TempFolder folder) =>
        [.. Directory.GetFiles(folder.Path).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];
}
