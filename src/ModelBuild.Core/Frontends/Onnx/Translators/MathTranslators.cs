using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Unary math ONNX ops: most map one to one onto an OpenVINO op.</summary>
public static class MathTranslators
{
    public static OnnxTranslator Unary(OpDefinition op) => context => [context.Graph.Make(op, [context.Input(0)])];

    public static IReadOnlyList<Output> Reciprocal(OnnxNodeContext context)
    {
        var x = context.Input(0);
        return [context.Graph.Divide(context.Graph.ScalarLike(x, 1), x)];
    }

    /// <summary>ONNX Round rounds halves to even.</summary>
    public static IReadOnlyList<Output> Round(OnnxNodeContext context) =>
        [context.Graph.Make(ArithmeticOps.Round, [context.Input(0)], ("mode", "half_to_even"))];

    public static IReadOnlyList<Output> IsInf(OnnxNodeContext context) =>
        [context.Graph.Make(ComparisonOps.IsInf, [context.Input(0)],
            ("detect_negative", context.GetInt("detect_negative", 1) != 0),
            ("detect_positive", context.GetInt("detect_positive", 1) != 0))];
}
