using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>NonMaxSuppression and RoiAlign map onto OpenVINO's ops of the same purpose.</summary>
public static class DetectionTranslators
{
    /// <summary>
    /// NonMaxSuppression-10/11: missing inputs take the ONNX defaults. ONNX keeps scores strictly
    /// above score_threshold, OpenVINO those at or above it: a constant threshold is raised to the
    /// next float, a computed one instead masks the scores at or below it to −∞. An absent threshold
    /// filters nothing (OpenVINO's default of 0 would drop negative scores), so it becomes −∞.
    /// Results stay in batch, class, selection order as ONNX lists them.
    /// </summary>
    public static IReadOnlyList<Output> NonMaxSuppression(OnnxNodeContext context)
    {
        var b = context.Graph;
        var boxes = context.Input(0);
        var scores = b.Convert(context.Input(1), boxes.Type);
        var maxPerClass = context.OptionalInput(2) is { } max ? b.Convert(max, ElementType.I64) : b.Int64(0);
        var iouThreshold = context.OptionalInput(3) is { } iou ? b.Convert(iou, ElementType.F32) : b.Scalar(ElementType.F32, 0);
        var scoreThreshold = b.Scalar(ElementType.F32, double.NegativeInfinity);
        if (context.OptionalInput(4) is { } score)
        {
            if (OnnxNodeContext.ConstantValue(score) is { } threshold)
            {
                scoreThreshold = b.Scalar(ElementType.F32, MathF.BitIncrement((float)threshold.GetDouble(0)));
            }
            else
            {
                scoreThreshold = b.Convert(score, ElementType.F32);
                var above = b.Make(ComparisonOps.Greater, [scores, b.Convert(scoreThreshold, scores.Type)]);
                scores = b.Select(above, scores, b.ScalarLike(scores, double.NegativeInfinity));
            }
        }

        var outputs = b.MakeMulti(SortOps.NonMaxSuppression, [boxes, scores, maxPerClass, iouThreshold, scoreThreshold],
            ("box_encoding", context.GetInt("center_point_box", 0) == 0 ? "corner" : "center"),
            ("sort_result_descending", false),
            ("output_type", ElementType.I64));
        return [outputs[0]];
    }

    /// <summary>RoiAlign-10: output_half_pixel coordinates, OpenVINO's asymmetric.</summary>
    public static IReadOnlyList<Output> RoiAlignV10(OnnxNodeContext context) => [RoiAlign(context, AveragingMode(context), "asymmetric")];

    /// <summary>
    /// RoiAlign-16: <c>coordinate_transformation_mode</c>; ONNX's half_pixel shifts the scaled box by
    /// −0.5 (OpenVINO half_pixel_for_nn), output_half_pixel (opset 10's behaviour) is OpenVINO's asymmetric.
    /// </summary>
    public static IReadOnlyList<Output> RoiAlignV16(OnnxNodeContext context)
    {
        var mode = AveragingMode(context);
        var coordinates = context.GetString("coordinate_transformation_mode", "half_pixel");
        var aligned = coordinates switch
        {
            "half_pixel" => "half_pixel_for_nn",
            "output_half_pixel" => "asymmetric",
            _ => throw context.Error($"coordinate_transformation_mode '{coordinates}' is not supported"),
        };
        return [RoiAlign(context, mode, aligned)];
    }

    /// <summary>
    /// The pooling mode, which must be avg: ONNX's max mode takes the largest weighted corner term,
    /// which OpenVINO's max mode does not compute.
    /// </summary>
    private static string AveragingMode(OnnxNodeContext context)
    {
        var mode = context.GetString("mode", "avg");
        if (mode != "avg")
        {
            throw context.Error($"mode '{mode}' is not supported: ONNX max pooling takes the largest weighted corner of each sample, which OpenVINO's ROIAlign does not compute");
        }

        return mode;
    }

    private static Output RoiAlign(OnnxNodeContext context, string mode, string alignedMode)
    {
        var x = context.Input(0);
        return context.Graph.Make(DetectionOps.RoiAlign, [x, context.Graph.Convert(context.Input(1), x.Type), context.Input(2)],
            ("pooled_h", context.GetInt("output_height", 1)),
            ("pooled_w", context.GetInt("output_width", 1)),
            ("sampling_ratio", context.GetInt("sampling_ratio", 0)),
            ("spatial_scale", (double)context.GetFloat("spatial_scale", 1.0f)),
            ("mode", mode),
            ("aligned_mode", alignedMode));
    }
}
