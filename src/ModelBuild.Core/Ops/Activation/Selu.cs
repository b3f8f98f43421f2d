using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>Selu-1(x, alpha, lambda).</summary>
    public static readonly OpDefinition Selu = new ParameterizedActivationOp("Selu", version: 1, minInputs: 3, maxInputs: 3,
        (x, p) => p[1] * (x > 0 ? x : p[0] * (Math.Exp(x) - 1)));
}
