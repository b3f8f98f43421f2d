using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>ONNX → OpenVINO graph.</summary>
public static class OnnxFrontend
{
    /// <summary>
    /// Translates a loaded model, folding constants within <paramref name="budget"/>; warnings (codes MB9xxx)
    /// are added to <paramref name="warnings"/>.
    /// </summary>
    public static Model Translate(OnnxModel model, FrontendOptions options, ICollection<ModelBuildException> warnings, EvaluationBudget budget) =>
        new OnnxTranslationSession(model, options, warnings, budget).TranslateMain();
}
