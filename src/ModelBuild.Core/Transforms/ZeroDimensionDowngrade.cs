using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;

namespace ModelBuild.Core.Transforms;

/// <summary>
/// Writes a model for a release that refuses a static zero-sized dimension in a model's inputs and outputs at load
/// (before <see cref="OpenVinoReleases.FirstTakingZeroDimensions"/>): an input that nothing uses is left out of the IR,
/// with warning MB9002, as OpenVINO's own ONNX frontend of those releases dropped unused inputs; an input that is used,
/// or an output, fails the conversion with MB2009 naming it and the first release that takes it, rather than writing IR
/// that cannot load. Dynamic dimensions pass: the runtime's check looks only at static ones. Newer targets change nothing.
/// </summary>
public static class ZeroDimensionDowngrade
{
    /// <summary>Rewrites the model's inputs in place; returns the warnings for the inputs it left out.</summary>
    /// <exception cref="ModelBuildException">A used input or an output has a static zero-sized dimension (MB2009).</exception>
    public static IReadOnlyList<ModelBuildException> Run(Model model, OpenVinoRelease target)
    {
        if (target.TakesZeroDimensions)
        {
            return [];
        }

        var warnings = new List<ModelBuildException>();
        var consumers = model.Consumers();
        foreach (var parameter in model.Parameters.Where(p => HasZeroDimension(p.Output().Shape)).ToList())
        {
            var name = parameter.Name!;
            var shape = parameter.Output().Shape;
            if (consumers.ContainsKey(parameter.Output()))
            {
                var dynamic = PartialShape.Of(shape.Select(d => IsZero(d) ? Dimension.Dynamic : d));
                throw Refuse(target, $"Input '{name}' {shape.ToDisplayString()}", name,
                    $", or declare the dimension dynamic (--input \"{name}{dynamic.ToDisplayString()}\")");
            }

            model.Parameters.Remove(parameter);
            warnings.Add(new ModelBuildException(DiagnosticCode.ZeroSizedInputLeftOut,
                $"Input '{name}' {shape.ToDisplayString()} is left out of the IR: nothing in the model uses it, and it has a zero-sized dimension, {Refusal(target)}.",
                node: name));
        }

        foreach (var value in model.Results.Select(r => r.Inputs[0]).Where(v => HasZeroDimension(v.Shape)))
        {
            var name = value.Names.FirstOrDefault() ?? value.Node.Name ?? value.Node.Type;
            throw Refuse(target, $"Output '{name}' {value.Shape.ToDisplayString()}", name, "");
        }

        return warnings;
    }

    /// <summary>Whether a shape has a static dimension of length zero.</summary>
    public static bool HasZeroDimension(PartialShape shape) => shape.IsRankStatic && shape.Any(IsZero);

    private static bool IsZero(Dimension dimension) => dimension.IsStatic && dimension.Length == 0;

    private static string Refusal(OpenVinoRelease target) =>
        $"which OpenVINO releases before {OpenVinoReleases.FirstTakingZeroDimensions.Name} refuse in a model's inputs and outputs at load "
        + $"('has zero dimension which is not allowed'); the target OpenVINO {target} is one of them";

    private static ModelBuildException Refuse(OpenVinoRelease target, string port, string name, string alternative) =>
        new(DiagnosticCode.ZeroDimensionUnavailableInTarget,
            $"{port} has a zero-sized dimension, {Refusal(target)}. Target {OpenVinoReleases.FirstTakingZeroDimensions.Name} or later "
            + $"(--target_openvino, ModelBuildTargetOpenVino){alternative}.",
            node: name);
}
