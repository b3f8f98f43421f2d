using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    public static readonly OpDefinition PRelu = new ParameterizedActivationOp("PReLU", version: 1, minInputs: 2, maxInputs: 2,
        (x, p) => x < 0 ? x * p[0] : x, broadcastSecondInput: true);
}
