using System.Runtime.InteropServices;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Weights;
using Xunit;

namespace ModelBuild.Core.Tests.Weights;

public sealed class Fp16CompressedTensorDataTests
{
    [Fact]
    public void Chunks_clamp_only_where_values_overflow_and_match_converting_each_value()
    {
        // Overflowing values in the second chunk only: the first converts without the clamping pass.
        var values = Enumerable.Range(0, 4096).Select(i => i is 3000 or 3001 ? (i == 3000 ? 1e6f : -7e4f) : (i - 2048) * 0.37f).ToArray();
        var payload = Compressed(values);

        var halves = ReadInChunks(payload, chunkBytes: 4096);

        var expected = values.Select(v => (Half)Math.Clamp(v, -65504f, 65504f)).ToArray();
        Assert.Equal(expected, halves);
        Assert.Equal((Half)65504f, halves[3000]);
        Assert.Equal((Half)(-65504f), halves[3001]);
    }

    [Fact]
    public void A_read_through_the_whole_payload_in_order_counts_the_values_f16_cannot_hold()
    {
        float[] values = [1e6f, 1e-9f, 0f, 2f, -7e4f, -1e-30f, 3f, float.NaN];
        var payload = Compressed(values);
        Assert.Null(payload.OutOfRangeSeen);

        ReadInChunks(payload, chunkBytes: 4);

        Assert.Equal(new OutOfRange(Overflow: 2, Underflow: 2), payload.OutOfRangeSeen);
    }

    [Fact]
    public void Reads_out_of_order_or_partial_leave_no_count_until_a_read_starts_over()
    {
        var payload = Compressed([1e6f, 1f, 2f, 3f]);
        var destination = new byte[4];

        payload.Read(0, destination);
        Assert.Null(payload.OutOfRangeSeen);
        payload.Read(4, destination);
        payload.Read(0, destination);
        Assert.Null(payload.OutOfRangeSeen);

        ReadInChunks(payload, chunkBytes: 8);
        Assert.Equal(new OutOfRange(Overflow: 1, Underflow: 0), payload.OutOfRangeSeen);
    }

    [Fact]
    public void F64_sources_convert_and_count_too()
    {
        double[] values = [1e300, 0.5, -2.25, 1e-10];
        var payload = new Fp16CompressedTensorData(TensorData.FromBytes(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ElementType.F64);

        var halves = ReadInChunks(payload, chunkBytes: 8);

        Assert.Equal([(Half)65504f, (Half)0.5f, (Half)(-2.25f), (Half)0f], halves);
        Assert.Equal(new OutOfRange(Overflow: 1, Underflow: 1), payload.OutOfRangeSeen);
    }

    private static Fp16CompressedTensorData Compressed(float[] values) =>
        new(TensorData.FromBytes(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ElementType.F32);

    private static Half[] ReadInChunks(TensorData payload, int chunkBytes)
    {
        var bytes = new byte[payload.Length];
        for (var offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            payload.Read(offset, bytes.AsSpan(offset, Math.Min(chunkBytes, bytes.Length - offset)));
        }

        return MemoryMarshal.Cast<byte, Half>(bytes).ToArray();
    }
}
