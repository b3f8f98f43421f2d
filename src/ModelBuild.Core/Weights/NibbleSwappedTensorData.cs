namespace ModelBuild.Core.Weights;

/// <summary>
/// A 4-bit payload with the two elements of every byte swapped (first element in the high nibble instead of the low
/// one), read through from the original without copying it.
/// </summary>
public sealed class NibbleSwappedTensorData(TensorData original) : TensorData
{
    public override long Length => original.Length;

    public override void Read(long offset, Span<byte> destination)
    {
        original.Read(offset, destination);
        foreach (ref var value in destination)
        {
            value = (byte)((value << 4) | (value >> 4));
        }
    }
}
