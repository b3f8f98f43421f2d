namespace ModelBuild.Core.Reference;

/// <summary>Mathematical functions .NET does not provide, accurate to double precision.</summary>
public static class SpecialFunctions
{
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);

    /// <summary>The error function.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var magnitude = Math.Abs(x);
        var result = magnitude < 2.5 ? ErfSeries(magnitude) : 1.0 - ErfcContinuedFraction(magnitude);
        return x < 0 ? -result : result;
    }

    // Maclaurin series; for |x| < 2.5 the alternating terms lose at most two digits to cancellation.
    private static double ErfSeries(double x)
    {
        var square = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 200; n++)
        {
            term *= -square / n;
            var contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.Abs(contribution) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return TwoOverSqrtPi * sum;
    }

    // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated from the tail.
    private static double ErfcContinuedFraction(double x)
    {
        double fraction = x;
        for (var k = 60; k >= 1; k--)
        {
            fraction = x + k / 2.0 / fraction;
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / fraction;
    }
}
