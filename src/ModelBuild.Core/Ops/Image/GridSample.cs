using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// GridSample-9: samples a 4-D [N, C, H, W] input at the normalized (x, y) locations of a
/// [N, H_out, W_out, 2] grid; out-of-range pixel indices follow <c>padding_mode</c>.
/// </summary>
public sealed class GridSampleOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.Bool("align_corners", false),
        AttributeSpec.String("mode", "bilinear"),
        AttributeSpec.String("padding_mode", "zeros"),
    ];

    public GridSampleOp()
        : base("GridSample", version: 9, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var mode = context.Attributes.GetString("mode");
        var padding = context.Attributes.GetString("padding_mode");
        context.Require(mode is "bilinear" or "bicubic" or "nearest", $"mode '{mode}' is not bilinear, bicubic or nearest");
        context.Require(padding is "zeros" or "border" or "reflection", $"padding_mode '{padding}' is not zeros, border or reflection");
        var gridType = context.InputType(1);
        context.Require(gridType.IsFloatingPoint() || gridType == ElementType.Dynamic, $"the grid must be floating-point, not {gridType.IrName()}");
        var data = context.InputShape(0);
        var grid = context.InputShape(1);
        context.Require(!data.IsRankStatic || data.Rank == 4, $"data must be 4-D, not {data.ToDisplayString()}");
        context.Require(!grid.IsRankStatic || grid.Rank == 4, $"the grid must be 4-D, not {grid.ToDisplayString()}");
        context.Require(!grid.IsRankStatic || grid[3].Contains(2), $"the grid's last dimension must be 2, not {(grid.IsRankStatic ? grid[3] : Dimension.Dynamic)}");
        var batch = data.IsRankStatic ? data[0] : Dimension.Dynamic;
        if (grid.IsRankStatic)
        {
            batch = batch.Merge(grid[0]) ?? throw context.Error($"data batch {batch} and grid batch {grid[0]} differ");
        }

        var channels = data.IsRankStatic ? data[1] : Dimension.Dynamic;
        context.SetOutput(0, context.InputType(0), PartialShape.Of(
            batch, channels, grid.IsRankStatic ? grid[1] : Dimension.Dynamic, grid.IsRankStatic ? grid[2] : Dimension.Dynamic));
    }

    /// <summary>Each output element reads up to 4×4 taps.</summary>
    public override long EvaluationWork(EvaluationContext context) =>
        EvaluationBudget.Product(ShapeMath.ElementCount(context.OutputShape(0)), 16);

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var values = data.ToDoubleArray();
        var grid = context.Input(1).ToDoubleArray();
        var shape = context.OutputShape(0);
        var (batches, channels, height, width) = (data.Shape[0], data.Shape[1], data.Shape[2], data.Shape[3]);
        var (outHeight, outWidth) = (shape[2], shape[3]);
        var alignCorners = context.Attributes.GetBool("align_corners");
        var mode = context.Attributes.GetString("mode");
        var padding = context.Attributes.GetString("padding_mode");
        var result = new double[ShapeMath.ElementCount(shape)];
        var n = 0;
        for (long b = 0; b < batches; b++)
        {
            for (long c = 0; c < channels; c++)
            {
                var plane = (b * channels + c) * height * width;
                double Pixel(long y, long x) => Padded(values, plane, height, width, y, x, padding, alignCorners);
                for (long y = 0; y < outHeight; y++)
                {
                    for (long x = 0; x < outWidth; x++)
                    {
                        var at = ((b * outHeight + y) * outWidth + x) * 2;
                        var column = Denormalize(grid[at], width, alignCorners);
                        var row = Denormalize(grid[at + 1], height, alignCorners);
                        result[n++] = mode switch
                        {
                            "nearest" => Pixel((long)Math.Round(row, MidpointRounding.ToEven), (long)Math.Round(column, MidpointRounding.ToEven)),
                            "bicubic" => Bicubic(Pixel, row, column),
                            _ => Bilinear(Pixel, row, column),
                        };
                    }
                }
            }
        }

        return [Tensor.FromDoubles(data.Type, result, shape)];
    }

    private static double Denormalize(double value, long length, bool alignCorners) =>
        alignCorners ? (value + 1) * (length - 1) / 2 : ((value + 1) * length - 1) / 2;

    private static double Bilinear(Func<long, long, double> pixel, double row, double column)
    {
        var top = Math.Floor(row);
        var left = Math.Floor(column);
        var dy = row - top;
        var dx = column - left;
        var (y, x) = ((long)top, (long)left);
        var upper = (1 - dx) * pixel(y, x) + dx * pixel(y, x + 1);
        var lower = (1 - dx) * pixel(y + 1, x) + dx * pixel(y + 1, x + 1);
        return dy * lower + (1 - dy) * upper;
    }

    private static double Bicubic(Func<long, long, double> pixel, double row, double column)
    {
        var top = Math.Floor(row);
        var left = Math.Floor(column);
        var cy = CubicCoefficients(row - top);
        var cx = CubicCoefficients(column - left);
        double sum = 0;
        for (var j = 0; j < 4; j++)
        {
            double line = 0;
            for (var i = 0; i < 4; i++)
            {
                line += cx[i] * pixel((long)top + j - 1, (long)left + i - 1);
            }

            sum += cy[j] * line;
        }

        return sum;
    }

    /// <summary>Keys cubic weights (A = −0.75) of the four neighbours at distances 1 + r, r, 1 − r, 2 − r.</summary>
    private static double[] CubicCoefficients(double r)
    {
        const double A = -0.75;
        return
        [
            ((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
            ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1,
            ((A * (2 - r) - 5 * A) * (2 - r) + 8 * A) * (2 - r) - 4 * A,
        ];
    }

    /// <summary>The pixel at integer (y, x), or what the padding mode makes of an index outside the image.</summary>
    private static double Padded(double[] values, long plane, long height, long width, long y, long x, string padding, bool alignCorners)
    {
        switch (padding)
        {
            case "border":
                y = Math.Clamp(y, 0, height - 1);
                x = Math.Clamp(x, 0, width - 1);
                break;
            case "reflection":
                y = Reflect(y, height, alignCorners);
                x = Reflect(x, width, alignCorners);
                break;
            default:
                if (y < 0 || x < 0 || y >= height || x >= width)
                {
                    return 0;
                }

                break;
        }

        return values[plane + y * width + x];
    }

    /// <summary>Mirrors an index into [0, length): about the pixel centers at the ends when aligning corners, about the pixel edges otherwise.</summary>
    private static long Reflect(long index, long length, bool alignCorners)
    {
        if (alignCorners)
        {
            var period = length == 1 ? 1 : 2 * (length - 1);
            index = Math.Abs(index) % period;
            return index >= length ? period - index : index;
        }

        var doubled = 2 * length;
        index = ((index % doubled) + doubled) % doubled;
        return index >= length ? doubled - 1 - index : index;
    }
}

public static partial class ImageOps
{
    public static readonly OpDefinition GridSample = new GridSampleOp();
}
