using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Transforms;

/// <summary>
/// Writes 4-bit constants in the nibble order of the target release. ONNX, ModelBuild's graphs and OpenVINO from 2023.2
/// (opset13) put the first element of each byte in its low nibble; earlier releases read the first element from the
/// high nibble (OpenVINO reversed the order in 2023.2). For those targets every i4 and u4 constant is replaced by one
/// whose bytes have their nibbles swapped, so the runtime reads the same values. It runs last before writing: the
/// repacked constants are bytes for the writer, not values to fold.
/// </summary>
public static class SubBytePacking
{
    /// <summary>The first opset of the releases that read 4-bit elements low nibble first.</summary>
    public const int LowNibbleFirstOpset = 13;

    /// <summary>Rewrites the model (and its bodies) in place; returns how many constants were repacked.</summary>
    public static int Run(Model model, OpenVinoRelease target)
    {
        if (target.Opset >= LowNibbleFirstOpset)
        {
            return 0;
        }

        var repacked = 0;
        var consumers = model.Consumers();
        foreach (var node in model.OrderedNodes().ToList())
        {
            foreach (var body in node.Bodies)
            {
                repacked += Run(body.Graph, target);
            }

            if (node.Constant is not { Type: ElementType.I4 or ElementType.U4 } payload || !consumers.TryGetValue(node.Output(), out var uses))
            {
                continue;
            }

            var swapped = Node.CreateConstant(payload.Type, payload.Shape, new NibbleSwappedTensorData(payload.Data));
            swapped.Name = node.Name;
            swapped.Outputs[0].Names.UnionWith(node.Outputs[0].Names);
            swapped.RuntimeInfo.AddRange(node.RuntimeInfo);
            foreach (var (consumer, input) in uses)
            {
                consumer.SetInput(input, swapped.Output());
            }

            repacked++;
        }

        return repacked;
    }
}
