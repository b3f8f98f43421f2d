namespace ModelBuild.Core.Graph;

/// <summary>
/// Storage for bfloat16 values (the upper half of an IEEE float). .NET has no such type; ModelBuild
/// only stores, converts and compares them — arithmetic happens in f32 (see the reference evaluator).
/// </summary>
public readonly record struct BFloat16(ushort Bits)
{
    public static BFloat16 FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return new BFloat16((ushort)((bits >> 16) | 0x0040));
        }

        // Round to nearest, ties to even.
        var rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return new BFloat16((ushort)((bits + rounding) >> 16));
    }

    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);

    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
