using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>The outcome of comparing one output with its expected value.</summary>
public sealed record ComparisonResult(bool Matches, double MaxAbsoluteError, double MaxRelativeError, string? Mismatch);

/// <summary>
/// Compares computed tensors with expected ones: same element type and shape; floats within
/// |a − e| ≤ atol + rtol·|e| (NaN where NaN is expected, infinities equal); everything else exactly.
/// </summary>
public static class TensorComparison
{
    public static ComparisonResult Compare(Tensor actual, Tensor expected, double relativeTolerance, double absoluteTolerance)
    {
        if (actual.Type != expected.Type)
        {
            return new(false, double.NaN, double.NaN, $"element type {actual.Type.IrName()}, expected {expected.Type.IrName()}");
        }

        if (!actual.Shape.AsSpan().SequenceEqual(expected.Shape))
        {
            return new(false, double.NaN, double.NaN, $"shape {ShapeMath.Format(actual.Shape)}, expected {ShapeMath.Format(expected.Shape)}");
        }

        if (actual.Type == ElementType.String)
        {
            var a = actual.As<string>();
            var e = expected.As<string>();
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != e[i])
                {
                    return new(false, double.NaN, double.NaN, $"element {i} is \"{a[i]}\", expected \"{e[i]}\"");
                }
            }

            return new(true, 0, 0, null);
        }

        return actual.Type.IsFloatingPoint()
            ? CompareFloats(actual, expected, relativeTolerance, absoluteTolerance)
            : CompareExactly(actual, expected);
    }

    private static ComparisonResult CompareFloats(Tensor actual, Tensor expected, double rtol, double atol)
    {
        var a = actual.ToDoubleArray();
        var e = expected.ToDoubleArray();
        double maxAbsolute = 0;
        double maxRelative = 0;
        string? mismatch = null;
        for (var i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(e[i]) || double.IsNaN(a[i]) || double.IsInfinity(e[i]) || double.IsInfinity(a[i]))
            {
                var same = double.IsNaN(e[i]) ? double.IsNaN(a[i]) : a[i] == e[i];
                if (!same)
                {
                    mismatch ??= $"element {i} is {a[i]}, expected {e[i]}";
                }

                continue;
            }

            var absolute = Math.Abs(a[i] - e[i]);
            var relative = e[i] == 0 ? (absolute == 0 ? 0 : double.PositiveInfinity) : absolute / Math.Abs(e[i]);
            maxAbsolute = Math.Max(maxAbsolute, absolute);
            maxRelative = Math.Max(maxRelative, relative);
            if (absolute > atol + rtol * Math.Abs(e[i]))
            {
                mismatch ??= $"element {i} is {a[i]:R}, expected {e[i]:R} (difference {absolute:G3})";
            }
        }

        return new(mismatch is null, maxAbsolute, maxRelative, mismatch);
    }

    private static ComparisonResult CompareExactly(Tensor actual, Tensor expected)
    {
        var a = actual.ToInt64Array();
        var e = expected.ToInt64Array();
        double maxAbsolute = 0;
        string? mismatch = null;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != e[i])
            {
                maxAbsolute = Math.Max(maxAbsolute, Math.Abs((double)a[i] - e[i]));
                mismatch ??= $"element {i} is {actual.FormatElement(i)}, expected {expected.FormatElement(i)}";
            }
        }

        return new(mismatch is null, maxAbsolute, mismatch is null ? 0 : double.PositiveInfinity, mismatch);
    }
}
