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
        : base("NonMaxSuppression", version, minInputs: 2, maxInputs: 6)
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

    /// <summary>Every score's box may be compared with every box kept before it.</summary>
    public override long EvaluationWork(EvaluationContext context)
    {
        var boxes = context.Input(0);
        return EvaluationBudget.Product(context.Input(1).ElementCount, boxes.Rank > 1 ? boxes.Shape[1] : 1);
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

public static partial class SortOps
{
    public static readonly OpDefinition NonMaxSuppression = new NonMaxSuppressionOp(version: 9);
    public static readonly OpDefinition NonMaxSuppressionV5 = new NonMaxSuppressionOp(version: 5);
}
