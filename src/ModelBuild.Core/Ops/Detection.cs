using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// NonMaxSuppression-5 and -9 (same interface): per batch and class, greedily keeps the best-scoring
/// boxes whose overlap with every kept box is at most <c>iou_threshold</c> (Soft-NMS decays scores
/// instead when <c>soft_nms_sigma</c> is positive). Outputs the kept [batch, class, box] triplets,
/// their [batch, class, score] triplets and their count; the first dimension is only known at run time.
/// </summary>
public sealed class NonMaxSuppressionOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs =
    [
        AttributeSpec.String("box_encoding", "corner"),
        AttributeSpec.Bool("sort_result_descending", true),
        AttributeSpec.Type("output_type", ElementType.I64),
    ];

    public NonMaxSuppressionOp(int version)
        : base("NonMaxSuppression", version, 2, 6)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var encoding = context.Attributes.GetString("box_encoding");
        context.Require(encoding is "corner" or "center", $"box_encoding '{encoding}' is not corner or center");
        var outputType = context.Attributes.GetElementType("output_type");
        context.Require(outputType is ElementType.I64 or ElementType.I32, $"output_type must be i64 or i32, not {outputType.IrName()}");
        var boxes = context.InputShape(0);
        var scores = context.InputShape(1);
        context.Require(!boxes.IsRankStatic || (boxes.Rank == 3 && boxes[2].Contains(4)), $"boxes must be [batches, boxes, 4], not {boxes.ToDisplayString()}");
        context.Require(!scores.IsRankStatic || scores.Rank == 3, $"scores must be [batches, classes, boxes], not {scores.ToDisplayString()}");
        if (boxes.IsRankStatic && scores.IsRankStatic)
        {
            context.Require(boxes[0].IsCompatible(scores[0]) && boxes[1].IsCompatible(scores[2]),
                $"boxes {boxes.ToDisplayString()} and scores {scores.ToDisplayString()} disagree on batches or boxes");
        }

        for (var i = 2; i < context.InputCount; i++)
        {
            var shape = context.InputShape(i);
            context.Require(!shape.IsStatic || shape.ElementCount().Length == 1, $"input {i} must hold one value, not {shape.ToDisplayString()}");
        }

        // At most min(boxes, max per class) boxes for each batch and class.
        var selected = Dimension.Dynamic;
        var maxPerClass = context.InputCount > 2 ? context.InputValue(2) : Tensor.Scalar(ElementType.I64, 0);
        if (maxPerClass is not null && boxes.IsStatic && scores.IsStatic)
        {
            var bound = Math.Min(boxes[1].Length, Math.Max(maxPerClass.GetInt64(0), 0)) * scores[1].Length * scores[0].Length;
            selected = new Dimension(0, bound);
        }

        context.SetOutput(0, outputType, PartialShape.Of(selected, 3));
        context.SetOutput(1, ElementType.F32, PartialShape.Of(selected, 3));
        context.SetOutput(2, outputType, PartialShape.Static(1));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var boxes = context.Input(0).ToDoubleArray();
        var scores = context.Input(1);
        var (batches, classes, count) = (scores.Shape[0], scores.Shape[1], scores.Shape[2]);
        var scoreValues = scores.ToDoubleArray();
        var maxPerClass = Scalar(context, 2, 0);
        var iouThreshold = Scalar(context, 3, 0);
        var scoreThreshold = Scalar(context, 4, 0);
        var sigma = Scalar(context, 5, 0);
        var center = context.Attributes.GetString("box_encoding") == "center";

        // Hard NMS drops a box overlapping a kept one by more than the threshold; Soft-NMS also decays the score.
        var decay = sigma > 0 ? -0.5 / sigma : 0.0;
        double Keep(double iou) => iou <= iouThreshold ? Math.Exp(decay * iou * iou) : 0.0;

        var selected = new List<(long Batch, long Class, long Box, double Score)>();
        for (long b = 0; b < batches; b++)
        {
            var corners = Enumerable.Range(0, (int)count).Select(i => Corners(boxes, (b * count + i) * 4, center)).ToArray();
            for (long c = 0; c < classes; c++)
            {
                var offset = (b * classes + c) * count;
                // Each candidate remembers how many kept boxes already decayed its score (Soft-NMS re-queues it).
                var candidates = new List<(long Box, double Score, int Checked)>();
                for (long i = 0; i < count; i++)
                {
                    if (scoreValues[offset + i] >= scoreThreshold)
                    {
                        candidates.Add((i, scoreValues[offset + i], 0));
                    }
                }

                var kept = new List<(long Box, double Score)>();
                while (candidates.Count > 0 && kept.Count < maxPerClass)
                {
                    // The best remaining candidate; among equal scores the one queued first (the lower box index).
                    var best = 0;
                    for (var i = 1; i < candidates.Count; i++)
                    {
                        if (candidates[i].Score > candidates[best].Score)
                        {
                            best = i;
                        }
                    }

                    var (box, original, checkedCount) = candidates[best];
                    candidates.RemoveAt(best);
                    var score = original;
                    for (var k = checkedCount; k < kept.Count && score > 0; k++)
                    {
                        score *= Keep(IntersectionOverUnion(corners[box], corners[kept[k].Box]));
                    }

                    if (score == original)
                    {
                        kept.Add((box, score));
                    }
                    else if (score > scoreThreshold && score > 0)
                    {
                        candidates.Add((box, score, kept.Count));
                    }
                }

                selected.AddRange(kept.Select(k => (b, c, k.Box, k.Score)));
            }
        }

        if (context.Attributes.GetBool("sort_result_descending"))
        {
            selected = selected.OrderByDescending(s => s.Score).ToList();
        }

        var outputType = context.Attributes.GetElementType("output_type");
        var indices = selected.SelectMany(s => new[] { s.Batch, s.Class, s.Box }).ToArray();
        var selectedScores = selected.SelectMany(s => new[] { s.Batch, s.Class, s.Score }).ToArray();
        return
        [
            Tensor.FromInt64s(outputType, indices, [selected.Count, 3]),
            Tensor.FromDoubles(ElementType.F32, selectedScores, [selected.Count, 3]),
            Tensor.FromInt64s(outputType, [selected.Count], [1]),
        ];
    }

    private static double Scalar(EvaluationContext context, int input, double fallback) =>
        context.InputCount > input ? context.Input(input).GetDouble(0) : fallback;

    /// <summary>(ymin, xmin, ymax, xmax) of box <paramref name="at"/>, from either diagonal pair of corners or a center and size.</summary>
    private static (double Y1, double X1, double Y2, double X2) Corners(double[] boxes, long at, bool center)
    {
        if (center)
        {
            var (x, y, w, h) = (boxes[at], boxes[at + 1], boxes[at + 2], boxes[at + 3]);
            return (y - h / 2, x - w / 2, y + h / 2, x + w / 2);
        }

        var (y1, x1, y2, x2) = (boxes[at], boxes[at + 1], boxes[at + 2], boxes[at + 3]);
        return (Math.Min(y1, y2), Math.Min(x1, x2), Math.Max(y1, y2), Math.Max(x1, x2));
    }

    private static double IntersectionOverUnion((double Y1, double X1, double Y2, double X2) a, (double Y1, double X1, double Y2, double X2) b)
    {
        var areaA = (a.Y2 - a.Y1) * (a.X2 - a.X1);
        var areaB = (b.Y2 - b.Y1) * (b.X2 - b.X1);
        if (areaA <= 0 || areaB <= 0)
        {
            return 0;
        }

        var height = Math.Max(Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1), 0);
        var width = Math.Max(Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), 0);
        var intersection = height * width;
        return intersection / (areaA + areaB - intersection);
    }
}

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
        : base("ROIAlign", version, 3, 3)
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

/// <summary>Object-detection ops: NonMaxSuppression and ROIAlign.</summary>
public static class DetectionOps
{
    public static readonly OpDefinition NonMaxSuppression = new NonMaxSuppressionOp(9);
    public static readonly OpDefinition NonMaxSuppressionV5 = new NonMaxSuppressionOp(5);
    public static readonly OpDefinition RoiAlign = new RoiAlignOp(9);
    public static readonly OpDefinition RoiAlignV3 = new RoiAlignOp(3);
}
