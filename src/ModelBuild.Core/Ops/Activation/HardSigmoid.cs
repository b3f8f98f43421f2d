using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>HardSigmoid-1(x, alpha, beta) = max(0, min(1, alpha·x + beta)).</summary>
    public static readonly OpDefinition HardSigmoid = new ParameterizedActivationOp("HardSigmoid", version: 1, minInputs: 3, maxInputs: 3,
        (x, p) => Math.Max(0, Math.Min(1, p[0] * x + p[1])));
}
