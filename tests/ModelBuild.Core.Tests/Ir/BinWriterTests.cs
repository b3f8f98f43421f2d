using ModelBuild.Core.Ir;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Ir;

public sealed class BinWriterTests
{
    private const int Chunk = 1 << 20;

    [Fact]
    public void Payloads_of_many_chunks_and_small_ones_are_written_whole_and_in_order()
    {
        using var folder = new TempFolder();
        var large = Pattern((7 * Chunk) + 12345, seed: 1);
        var small = Pattern(10, seed: 2);
        var exact = Pattern(Chunk, seed: 3);

        var offsets = WriteAll(folder.File("a.bin"), large, small, exact);

        Assert.Equal([0L, large.Length, large.Length + small.Length], offsets);
        Assert.Equal([.. large, .. small, .. exact], File.ReadAllBytes(folder.File("a.bin")));
    }

    [Fact]
    public void An_identical_payload_shares_the_first_copy_and_is_not_stored_again()
    {
        using var folder = new TempFolder();
        var first = Pattern((3 * Chunk) + 7, seed: 4);
        var other = Pattern(100, seed: 5);

        var offsets = WriteAll(folder.File("a.bin"), first, other, (byte[])first.Clone(), Pattern(3, seed: 6));

        Assert.Equal([0L, first.Length, 0L, first.Length + other.Length], offsets);
        Assert.Equal([.. first, .. other, .. Pattern(3, seed: 6)], File.ReadAllBytes(folder.File("a.bin")));
    }

    [Fact]
    public void A_withdrawn_payload_leaves_no_bytes_and_is_not_found_again()
    {
        using var folder = new TempFolder();
        var kept = Pattern(1000, seed: 7);
        var withdrawn = Pattern((2 * Chunk) + 1, seed: 8);
        using (var stream = Open(folder.File("a.bin")))
        using (var bin = new BinWriter(stream))
        {
            bin.Write(TensorData.FromBytes(kept));
            bin.Write(TensorData.FromBytes(withdrawn));
            bin.WithdrawLast();
            Assert.Equal(kept.Length, bin.Length);

            // Written again, it is appended anew rather than pointed at the bytes taken back.
            Assert.Equal((kept.Length, withdrawn.Length), bin.Write(TensorData.FromBytes(withdrawn)));
            bin.Flush();
        }

        Assert.Equal([.. kept, .. withdrawn], File.ReadAllBytes(folder.File("a.bin")));
    }

    [Fact]
    public void Withdrawing_a_payload_found_earlier_keeps_the_earlier_copy()
    {
        using var folder = new TempFolder();
        var payload = Pattern(5000, seed: 9);
        using (var stream = Open(folder.File("a.bin")))
        using (var bin = new BinWriter(stream))
        {
            bin.Write(TensorData.FromBytes(payload));
            Assert.Equal((0L, payload.Length), bin.Write(TensorData.FromBytes((byte[])payload.Clone())));
            bin.WithdrawLast();
            bin.Flush();
        }

        Assert.Equal(payload, File.ReadAllBytes(folder.File("a.bin")));
    }

    [Fact]
    public void A_failing_write_surfaces_as_the_io_error_instead_of_hanging()
    {
        // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = Open("/dev/full");
            using var bin = new BinWriter(stream);
            for (var i = 0; i < 16; i++)
            {
                bin.Write(TensorData.FromBytes(Pattern(Chunk, seed: i)));
            }

            bin.Flush();
        });

        Assert.Contains("space", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_file_holding_more_bytes_is_cut_to_the_bytes_written()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a.bin"), Pattern((3 * Chunk) + 99, seed: 10));
        var payload = Pattern(Chunk + 5, seed: 11);

        WriteAll(folder.File("a.bin"), payload, (byte[])payload.Clone());

        Assert.Equal(payload, File.ReadAllBytes(folder.File("a.bin")));
    }

    private static long[] WriteAll(string path, params byte[][] payloads)
    {
        using var stream = Open(path);
        using var bin = new BinWriter(stream);
        var offsets = payloads.Select(p => bin.Write(TensorData.FromBytes(p)).Offset).ToArray();
        bin.Flush();
        return offsets;
    }

    // The writer writes through the handle at explicit offsets: the stream itself buffers nothing.
    private static FileStream Open(string path) => new(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 0);

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
