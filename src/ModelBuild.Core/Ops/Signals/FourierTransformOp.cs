using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Which transform a <see cref="FourierTransformOp"/> computes.</summary>
public enum FourierKind
{
    /// <summary>DFT-7: complex to complex, exp(−2πi·mj/S).</summary>
    Forward,

    /// <summary>IDFT-7: complex to complex, exp(+2πi·mj/S), divided by the product of the signal sizes.</summary>
    Inverse,

    /// <summary>RDFT-9: real to complex; the last transformed axis keeps S // 2 + 1 frequencies.</summary>
    RealForward,
}

/// <summary>
/// DFT-7, IDFT-7 and RDFT-9: discrete Fourier transforms over the given axes (inputs: data, axes,
/// optional signal_size). Complex values are pairs in a trailing dimension of 2. Each axis is first
/// zero-padded or trimmed to its signal size (−1 keeps the length).
/// </summary>
public sealed class FourierTransformOp : OpDefinition
{
    private readonly FourierKind _kind;

    public FourierTransformOp(string type, int version, FourierKind kind)
        : base(type, version, minInputs: 2, maxInputs: 3) => _kind = kind;

    /// <summary>Complex inputs carry the trailing pair dimension; axes count among the others.</summary>
    private bool ComplexInput => _kind != FourierKind.RealForward;

    public override void Infer(InferenceContext context)
    {
        var type = context.InputType(0);
        context.Require(type.IsFloatingPoint() || type == ElementType.Dynamic, $"data must be floating-point, not {type.IrName()}");
        for (var i = 1; i < context.InputCount; i++)
        {
            var inputType = context.InputType(i);
            var inputShape = context.InputShape(i);
            context.Require(inputType is ElementType.I64 or ElementType.I32 or ElementType.Dynamic, $"input {i} must be i32 or i64, not {inputType.IrName()}");
            context.Require(!inputShape.IsRankStatic || inputShape.Rank == 1, $"input {i} must be 1-D, not {inputShape.ToDisplayString()}");
        }

        var data = context.InputShape(0);
        var outputRank = (int?)null;
        if (data.IsRankStatic)
        {
            outputRank = ComplexInput ? data.Rank : data.Rank + 1;
            context.Require(!ComplexInput || (data.Rank >= 2 && data[data.Rank - 1].Contains(2)),
                $"data must end in a dimension of 2 (real, imaginary), not {data.ToDisplayString()}");
        }

        var axesValue = context.InputValue(1);
        if (outputRank is null || axesValue is null)
        {
            context.SetOutput(0, type, outputRank is null ? PartialShape.DynamicRank : PartialShape.DynamicOfRank(outputRank.Value));
            return;
        }

        var signalRank = ComplexInput ? data.Rank - 1 : data.Rank;
        var axes = NormalizeAxes(context, axesValue, signalRank);
        var sizes = context.InputCount > 2 ? context.InputValue(2)?.ToInt64Array() : axes.Select(_ => -1L).ToArray();
        context.Require(sizes is null || sizes.Length == axes.Length, $"{axes.Length} axes need as many signal sizes, {sizes?.Length} were given");
        var dims = data.Take(signalRank).ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            context.Require(sizes is null || sizes[i] == -1 || sizes[i] > 0, $"signal size {sizes?[i]} must be positive or -1");
            var size = sizes is null ? Dimension.Dynamic : sizes[i] == -1 ? dims[axes[i]] : Dimension.Of(sizes[i]);
            dims[axes[i]] = _kind == FourierKind.RealForward && i == axes.Length - 1 ? size.FloorDivide(2) + Dimension.Of(1) : size;
        }

        context.SetOutput(0, type, PartialShape.Of([.. dims, Dimension.Of(2)]));
    }

    /// <summary>Each transformed line is computed directly: length² per line, over each transformed axis.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var data = context.Input(0);
        return EvaluationBudget.Product([ShapeMath.ElementCount(context.OutputShape(0)) + data.ElementCount, .. data.Shape]) / Math.Max(1, data.ElementCount);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var values = data.ToDoubleArray();
        var shape = ComplexInput ? data.Shape[..^1] : (long[])data.Shape.Clone();
        var real = ComplexInput ? values.Where((_, i) => i % 2 == 0).ToArray() : values;
        var imaginary = ComplexInput ? values.Where((_, i) => i % 2 == 1).ToArray() : new double[values.Length];
        var axes = NormalizeAxes(null, context.Input(1), shape.Length);
        var sizes = context.InputCount > 2 ? context.Input(2).ToInt64Array() : axes.Select(_ => -1L).ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i];
            var size = sizes[i] == -1 ? shape[axis] : sizes[i];
            (real, imaginary) = TransformAxis(real, imaginary, shape, axis, size, _kind == FourierKind.Inverse);
            shape[axis] = size;
        }

        if (_kind == FourierKind.RealForward)
        {
            // Real signals have conjugate-symmetric spectra: only the first half of the last axis is kept.
            var last = axes[^1];
            var kept = shape[last] / 2 + 1;
            var map = Reference.IndexMaps.Strided([.. shape[..last], kept, .. shape[(last + 1)..]], ShapeMath.Strides(shape), 0);
            real = map.Select(k => real[k]).ToArray();
            imaginary = map.Select(k => imaginary[k]).ToArray();
            shape[last] = kept;
        }

        var result = new double[real.Length * 2];
        for (var i = 0; i < real.Length; i++)
        {
            result[2 * i] = real[i];
            result[2 * i + 1] = imaginary[i];
        }

        return [Tensor.FromDoubles(data.Type, result, [.. shape, 2])];
    }

    private int[] NormalizeAxes(InferenceContext? context, Tensor axes, int signalRank)
    {
        var result = new List<int>();
        foreach (var axis in axes.ToInt64Array())
        {
            var normalized = axis < 0 ? axis + signalRank : axis;
            if (normalized < 0 || normalized >= signalRank || result.Contains((int)normalized))
            {
                var message = $"axis {axis} is out of range or repeated for {signalRank} signal dimensions";
                throw context?.Error(message) ?? new InferenceException($"{Type}: {message}");
            }

            result.Add((int)normalized);
        }

        return [.. result];
    }

    /// <summary>Pads or trims axis <paramref name="axis"/> to <paramref name="size"/> and transforms every line along it.</summary>
    private static (double[] Real, double[] Imaginary) TransformAxis(double[] real, double[] imaginary, long[] shape, int axis, long size, bool inverse)
    {
        var outer = ShapeMath.ElementCount(shape.AsSpan(0, axis));
        var inner = ShapeMath.ElementCount(shape.AsSpan(axis + 1));
        var length = shape[axis];
        var used = Math.Min(length, size);
        var sign = inverse ? 1.0 : -1.0;
        var norm = inverse ? 1.0 / size : 1.0;
        var outReal = new double[outer * size * inner];
        var outImaginary = new double[outReal.Length];
        for (long o = 0; o < outer; o++)
        {
            for (long k = 0; k < inner; k++)
            {
                for (long m = 0; m < size; m++)
                {
                    double sumReal = 0;
                    double sumImaginary = 0;
                    for (long j = 0; j < used; j++)
                    {
                        // The product is reduced modulo the size first so large lengths keep exact angles.
                        var angle = sign * 2 * Math.PI * (m * j % size) / size;
                        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
                        var source = (o * length + j) * inner + k;
                        sumReal += real[source] * cos - imaginary[source] * sin;
                        sumImaginary += real[source] * sin + imaginary[source] * cos;
                    }

                    var target = (o * size + m) * inner + k;
                    outReal[target] = sumReal * norm;
                    outImaginary[target] = sumImaginary * norm;
                }
            }
        }

        return (outReal, outImaginary);
    }
}
