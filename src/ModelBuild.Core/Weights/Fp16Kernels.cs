using System.Numerics;
using System.Numerics.Tensors;

namespace ModelBuild.Core.Weights;

/// <summary>
/// Vectorized f32/f64 → f16 conversion as OpenVINO's FP16 compression does it: values beyond the f16
/// range clamp to ±65504 (never ±inf), NaN stays NaN, the rest rounds to nearest even.
/// </summary>
public static class Fp16Kernels
{
    /// <summary>The largest finite f16 value.</summary>
    public const float MaxHalf = 65504f;

    /// <summary>The smallest positive f16 value (a subnormal), 2^-24.</summary>
    public const float MinHalfSubnormal = 5.9604644775390625e-8f;

    /// <summary>
    /// Counts the values f16 cannot hold: <see cref="OutOfRange.Overflow"/> (|x| &gt; 65504, they clamp) and
    /// <see cref="OutOfRange.Underflow"/> (0 &lt; |x| &lt; 2^-24, they vanish).
    /// </summary>
    public static OutOfRange CountOutOfRange(ReadOnlySpan<float> values)
    {
        long overflow = 0;
        long underflow = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var max = new Vector<float>(MaxHalf);
            var tiny = new Vector<float>(MinHalfSubnormal);
            var overflows = Vector<int>.Zero;
            var underflows = Vector<int>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var magnitude = Vector.Abs(new Vector<float>(values[i..]));

                // A true lane is all ones (-1 as an int): subtracting counts it.
                overflows -= Vector.GreaterThan(magnitude, max);
                underflows -= Vector.GreaterThan(magnitude, Vector<float>.Zero) & Vector.LessThan(magnitude, tiny);
            }

            overflow = Vector.Sum(overflows);
            underflow = Vector.Sum(underflows);
        }

        for (; i < values.Length; i++)
        {
            overflow += Overflows(values[i]) ? 1 : 0;
            underflow += Underflows(values[i]) ? 1 : 0;
        }

        return new OutOfRange(overflow, underflow);
    }

    public static OutOfRange CountOutOfRange(ReadOnlySpan<double> values)
    {
        long overflow = 0;
        long underflow = 0;
        foreach (var value in values)
        {
            overflow += Overflows(value) ? 1 : 0;
            underflow += Underflows(value) ? 1 : 0;
        }

        return new OutOfRange(overflow, underflow);
    }

    /// <summary>Converts with clamping; <paramref name="scratch"/> must be as long as <paramref name="source"/>.</summary>
    public static void Convert(ReadOnlySpan<float> source, Span<Half> destination, Span<float> scratch)
    {
        TensorPrimitives.Clamp(source, -MaxHalf, MaxHalf, scratch);
        TensorPrimitives.ConvertToHalf(scratch[..source.Length], destination);
    }

    /// <summary>Converts values known to be within ±65504: no clamping pass needed.</summary>
    public static void ConvertInRange(ReadOnlySpan<float> source, Span<Half> destination) =>
        TensorPrimitives.ConvertToHalf(source, destination);

    public static void Convert(ReadOnlySpan<double> source, Span<Half> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            destination[i] = double.IsNaN(value) ? Half.NaN : (Half)Math.Clamp(value, -MaxHalf, MaxHalf);
        }
    }

    private static bool Overflows(double value) => Math.Abs(value) > MaxHalf;

    private static bool Underflows(double value) => Math.Abs(value) is > 0 and < MinHalfSubnormal;
}

/// <summary>How many values of a constant f16 cannot hold, by kind.</summary>
public readonly record struct OutOfRange(long Overflow, long Underflow)
{
    public long Total => Overflow + Underflow;

    public static OutOfRange operator +(OutOfRange a, OutOfRange b) => new(a.Overflow + b.Overflow, a.Underflow + b.Underflow);
}
