namespace ModelBuild.Fuzzing.Mutation;

/// <summary>Byte-level mutations of any file: flips, interesting bytes and integers, truncation, insertion, duplication, splicing.</summary>
internal static class ByteMutator
{
    public static byte[] Mutate(byte[] source, Random random, byte[]? donor = null)
    {
        var bytes = new List<byte>(source);
        var count = 1 + random.Next(random.Next(2) == 0 ? 2 : 8);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(bytes, random, donor);
        }

        return [.. bytes];
    }

    private static void MutateOnce(List<byte> bytes, Random random, byte[]? donor)
    {
        if (bytes.Count == 0)
        {
            bytes.Add((byte)random.Next(256));
            return;
        }

        var at = random.Next(bytes.Count);
        switch (random.Next(9))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[at] = (byte)Interesting.Pick(random, [0, 1, 0x7F, 0x80, 0xFF, 0x18, 0x3A, 0x0A, 0x22])!;
                break;
            case 2:
                // A little-endian integer of 1, 2, 4 or 8 bytes: sizes and counts in binary formats.
                var width = 1 << random.Next(4);
                var value = BitConverter.GetBytes(Interesting.Integer(random));
                for (var k = 0; k < width && at + k < bytes.Count; k++)
                {
                    bytes[at + k] = value[k];
                }

                break;
            case 3:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 4:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                break;
            case 5:
                var inserted = new byte[1 + random.Next(16)];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                break;
            case 6:
                var length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                break;
            case 7 when donor is { Length: > 0 }:
                var from = random.Next(donor.Length);
                bytes.InsertRange(at, donor.AsSpan(from, Math.Min(donor.Length - from, 1 + random.Next(256))).ToArray());
                break;
            default:
                // A varint-looking run: protobuf lengths and keys.
                bytes[at] = (byte)(0x80 | random.Next(128));
                if (at + 1 < bytes.Count)
                {
                    bytes[at + 1] = (byte)random.Next(256);
                }

                break;
        }
    }
}
