using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>Swish-4(x[, beta]) = x · sigmoid(beta·x), beta defaults to 1.</summary>
    public static readonly OpDefinition Swish = new ParameterizedActivationOp("Swish", version: 4, minInputs: 1, maxInputs: 2,
        (x, p) => x / (1 + Math.Exp(-(p.Length > 0 ? p[0] : 1.0) * x)));
}
