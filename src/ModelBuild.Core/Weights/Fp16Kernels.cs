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

    /// <summary>Counts values f16 cannot hold: |x| &gt; 65504, or 0 &lt; |x| &lt; 2^-24 (they would vanish).</summary>
    public static long CountOutOfRange(ReadOnlySpan<float> values)
    {
        long count = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var max = new Vector<float>(MaxHalf);
            var tiny = new Vector<float>(MinHalfSubnormal);
            var counts = Vector<int>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var magnitude = Vector.Abs(new Vector<float>(values[i..]));
                var outside = Vector.GreaterThan(magnitude, max)
                    | (Vector.GreaterThan(magnitude, Vector<float>.Zero) & Vector.LessThan(magnitude, tiny));

                // A true lane is all ones (-1 as an int): subtracting counts it.
                counts -= outside;
            }

            count = Vector.Sum(counts);
        }

        for (; i < values.Length; i++)
        {
            count += IsOutOfRange(values[i]) ? 1 : 0;
        }

        return count;
    }

    public static long CountOutOfRange(ReadOnlySpan<double> values)
    {
        long count = 0;
        foreach (var value in values)
        {
            count += IsOutOfRange(value) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Converts with clamping; <paramref name="scratch"/> must be as long as <paramref name="source"/>.</summary>
    public static void Convert(ReadOnlySpan<float> source, Span<Half> destination, Span<float> scratch)
    {
        TensorPrimitives.Clamp(source, -MaxHalf, MaxHalf, scratch);
        TensorPrimitives.ConvertToHalf(scratch[..source.Length], destination);
    }

    public static void Convert(ReadOnlySpan<double> source, Span<Half> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            destination[i] = double.IsNaN(value) ? Half.NaN : (Half)Math.Clamp(value, -MaxHalf, MaxHalf);
        }
    }

    private static bool IsOutOfRange(double value)
    {
        var magnitude = Math.Abs(value);
        return magnitude > MaxHalf || (magnitude > 0 && magnitude < MinHalfSubnormal);
    }
}
