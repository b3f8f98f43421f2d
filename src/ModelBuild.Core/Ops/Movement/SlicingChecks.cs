using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Checks shared by inference (with a context) and evaluation (without one) of value-dependent ops.</summary>
internal static class SlicingChecks
{
    public static void Require(InferenceContext? context, string op, bool condition, string message)
    {
        if (!condition)
        {
            throw context?.Error(message) ?? new InferenceException($"{op}: {message}");
        }
    }
}
