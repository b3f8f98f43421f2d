using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// ROIAlign-3 and -9: average or max pooling of bilinearly sampled points over a grid of bins in
/// each region of interest. <c>aligned_mode</c> (v9) shifts the box by half a pixel; <c>asymmetric</c>
/// (v3 behaviour) instead makes every box at least one pixel wide and high.
/// </summary>
public sealed class RoiAlignOp : OpDefinition
{
    private static readonly AttributeSpec[] V3Specs =
    [
        AttributeSpec.Int("pooled_h"),
        AttributeSpec.Int("pooled_w"),
        AttributeSpec.Int("sampling_ratio"),
        AttributeSpec.Float("spatial_scale"),
        AttributeSpec.String("mode"),
    ];

    private static readonly AttributeSpec[] V9Specs = [.. V3Specs, AttributeSpec.String("aligned_mode", "asymmetric")];

    public RoiAlignOp(int version)
        : base("ROIAlign", version, minInputs: 3, maxInputs: 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Version >= 9 ? V9Specs : V3Specs;

    public override void Infer(InferenceContext context)
    {
        var attributes = context.Attributes;
        var mode = attributes.GetString("mode");
        context.Require(mode is "avg" or "max", $"mode '{mode}' is not avg or max");
        var aligned = AlignedMode(attributes);
        context.Require(aligned is "asymmetric" or "half_pixel_for_nn" or "half_pixel", $"aligned_mode '{aligned}' is not asymmetric, half_pixel_for_nn or half_pixel");
        var pooledH = attributes.GetInt("pooled_h");
        var pooledW = attributes.GetInt("pooled_w");
        context.Require(pooledH > 0 && pooledW > 0, "pooled_h and pooled_w must be positive");
        context.Require(attributes.GetInt("sampling_ratio") >= 0, "sampling_ratio must not be negative");
        context.Require(attributes.GetFloat("spatial_scale") > 0, "spatial_scale must be positive");
        var data = context.InputShape(0);
        var rois = context.InputShape(1);
        var indices = context.InputShape(2);
        context.Require(!data.IsRankStatic || data.Rank == 4, $"data must be 4-D, not {data.ToDisplayString()}");
        context.Require(!rois.IsRankStatic || (rois.Rank == 2 && rois[1].Contains(4)), $"rois must be [rois, 4], not {rois.ToDisplayString()}");
        context.Require(!indices.IsRankStatic || indices.Rank == 1, $"batch indices must be 1-D, not {indices.ToDisplayString()}");
        var indexType = context.InputType(2);
        context.Require(indexType.IsInteger() || indexType == ElementType.Dynamic, $"batch indices must be integers, not {indexType.IrName()}");
        var count = rois.IsRankStatic ? rois[0] : Dimension.Dynamic;
        if (indices.IsRankStatic)
        {
            count = count.Merge(indices[0]) ?? throw context.Error($"{count} rois but {indices[0]} batch indices");
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(count, data.IsRankStatic ? data[1] : Dimension.Dynamic, pooledH, pooledW));
    }

    /// <summary>Each bin may sample up to a whole feature-map plane (adaptive sampling).</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var data = context.Input(0);
        return EvaluationBudget.Product(ShapeMath.ElementCount(context.OutputShape(0)), data.Rank == 4 ? data.Shape[2] * data.Shape[3] : 1);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var attributes = context.Attributes;
        var data = context.Input(0);
        var values = data.ToDoubleArray();
        var rois = context.Input(1).ToDoubleArray();
        var batchIndices = context.Input(2).ToInt64Array();
        var (channels, height, width) = (data.Shape[1], data.Shape[2], data.Shape[3]);
        var pooledH = (int)attributes.GetInt("pooled_h");
        var pooledW = (int)attributes.GetInt("pooled_w");
        var samplingRatio = attributes.GetInt("sampling_ratio");
        var scale = attributes.GetFloat("spatial_scale");
        var max = attributes.GetString("mode") == "max";
        var (offsetSource, offsetTarget) = AlignedMode(attributes) switch
        {
            "half_pixel_for_nn" => (0.0, -0.5),
            "half_pixel" => (0.5, -0.5),
            _ => (0.0, 0.0),
        };
        var aligned = AlignedMode(attributes) != "asymmetric";
        var shape = context.OutputShape(0);
        var result = new double[ShapeMath.ElementCount(shape)];
        for (var r = 0; r < batchIndices.Length; r++)
        {
            var batch = batchIndices[r];
            if (batch < 0 || batch >= data.Shape[0])
            {
                throw context.Error($"batch index {batch} of roi {r} is out of range for {data.Shape[0]} images");
            }

            double Scaled(int k) => (rois[r * 4 + k] + offsetSource) * scale + offsetTarget;
            var (x1, y1, x2, y2) = (Scaled(0), Scaled(1), Scaled(2), Scaled(3));
            var roiWidth = aligned ? x2 - x1 : Math.Max(x2 - x1, 1.0);
            var roiHeight = aligned ? y2 - y1 : Math.Max(y2 - y1, 1.0);
            var binWidth = roiWidth / pooledW;
            var binHeight = roiHeight / pooledH;
            var samplesX = samplingRatio == 0 ? (int)Math.Ceiling(binWidth) : (int)samplingRatio;
            var samplesY = samplingRatio == 0 ? (int)Math.Ceiling(binHeight) : (int)samplingRatio;
            var perBin = samplesX * samplesY;
            for (long c = 0; c < channels; c++)
            {
                var plane = (batch * channels + c) * height * width;
                for (var ph = 0; ph < pooledH; ph++)
                {
                    for (var pw = 0; pw < pooledW; pw++)
                    {
                        double pooled = 0;
                        for (var sy = 0; sy < samplesY; sy++)
                        {
                            var y = y1 + ph * binHeight + binHeight / samplesY * (sy + 0.5);
                            for (var sx = 0; sx < samplesX; sx++)
                            {
                                var x = x1 + pw * binWidth + binWidth / samplesX * (sx + 0.5);
                                var sample = Bilinear(values, plane, height, width, y, x);
                                pooled = max ? Math.Max(pooled, sample) : pooled + sample / perBin;
                            }
                        }

                        result[((r * channels + c) * pooledH + ph) * pooledW + pw] = pooled;
                    }
                }
            }
        }

        return [Tensor.FromDoubles(data.Type, result, shape)];
    }

    private string AlignedMode(Attributes attributes) => Version >= 9 ? attributes.GetString("aligned_mode") : "asymmetric";

    /// <summary>Bilinear sample at (y, x); 0 when more than a pixel outside the map, clamped to the last row/column at the far edges.</summary>
    private static double Bilinear(double[] values, long plane, long height, long width, double y, double x)
    {
        if (y < -1.0 || y > height || x < -1.0 || x > width)
        {
            return 0;
        }

        y = Math.Max(y, 0);
        x = Math.Max(x, 0);
        var yLow = (long)y;
        var xLow = (long)x;
        long yHigh;
        long xHigh;
        if (yLow >= height - 1)
        {
            yHigh = yLow = height - 1;
            y = yLow;
        }
        else
        {
            yHigh = yLow + 1;
        }

        if (xLow >= width - 1)
        {
            xHigh = xLow = width - 1;
            x = xLow;
        }
        else
        {
            xHigh = xLow + 1;
        }

        var ly = y - yLow;
        var lx = x - xLow;
        var (hy, hx) = (1 - ly, 1 - lx);
        return hy * hx * values[plane + yLow * width + xLow] + hy * lx * values[plane + yLow * width + xHigh]
            + ly * hx * values[plane + yHigh * width + xLow] + ly * lx * values[plane + yHigh * width + xHigh];
    }
}

public static partial class DetectionOps
{
    public static readonly OpDefinition RoiAlign = new RoiAlignOp(version: 9);
    public static readonly OpDefinition RoiAlignV3 = new RoiAlignOp(version: 3);
}
