using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Transforms;

namespace ModelBuild.Core.Inspection;

/// <summary>
/// Which OpenVINO releases load an IR: the first release that reads its newest op version (<see cref="OldestRelease"/>,
/// null when that op is newer than every release ModelBuild knows) and the ops that decide it. For an ONNX model, the
/// IR a default conversion writes, and <see cref="OldestTarget"/>: the oldest release <c>--target_openvino</c> can write it for.
/// </summary>
public sealed record OpenVinoCompatibility(OpenVinoRelease? OldestRelease, IReadOnlyList<string> DecidingOps, OpenVinoRelease? OldestTarget, string? Problem)
{
    public static OpenVinoCompatibility Of(Model model)
    {
        var ops = AllNodes(model).Select(n => n.Op).Distinct().ToList();
        var newest = ops.Max(op => op.Version);
        return new OpenVinoCompatibility(
            OpenVinoReleases.FirstWith(newest),
            ops.Where(op => op.Version == newest && newest > OpenVinoReleases.Oldest.Opset).Select(op => op.ToString()).Order(StringComparer.Ordinal).ToList(),
            null,
            null);
    }

    /// <summary>
    /// Translates the ONNX model as a default conversion would (with the evaluation budget of a conversion whose
    /// source files hold <paramref name="sourceBytes"/>), then finds the oldest release a target can write it for.
    /// </summary>
    public static OpenVinoCompatibility OfOnnx(OnnxModel onnx, long sourceBytes)
    {
        try
        {
            var compatibility = Of(Translate(onnx, sourceBytes));
            var target = OpenVinoReleases.Oldest;
            while (compatibility.OldestRelease is { } oldest && target.Opset < oldest.Opset)
            {
                try
                {
                    OpsetDowngrade.Run(Translate(onnx, sourceBytes), target);
                    return compatibility with { OldestTarget = target };
                }
                catch (ModelBuildException error) when (error.Code == DiagnosticCode.OpUnavailableInTarget)
                {
                    // The refused node needs a newer release: try the next one up.
                    target = OpenVinoReleases.Table.First(r => r.Opset > target.Opset);
                }
            }

            return compatibility with { OldestTarget = compatibility.OldestRelease };
        }
        catch (ModelBuildException error)
        {
            return new OpenVinoCompatibility(null, [], null, $"the model does not convert ({error.Code})");
        }
    }

    private static Model Translate(OnnxModel onnx, long sourceBytes) =>
        OnnxFrontend.Translate(onnx, new FrontendOptions(), [], EvaluationBudget.ForConversion(() => sourceBytes));

    private static IEnumerable<Node> AllNodes(Model model) =>
        model.OrderedNodes().SelectMany(node => node.Bodies.SelectMany(body => AllNodes(body.Graph)).Prepend(node));
}
