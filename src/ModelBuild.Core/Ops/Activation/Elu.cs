using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ActivationOps
{
    /// <summary>Elu-1: x for x &gt; 0, alpha·(exp(x) − 1) otherwise.</summary>
    public static readonly OpDefinition Elu = new UnaryOp("Elu", version: 1, UnaryInputs.Float,
        c => UnaryOp.MapDoubles(c.Input(0), x => x > 0 ? x : c.Attributes.GetFloat("alpha") * (Math.Exp(x) - 1)),
        [AttributeSpec.Float("alpha")]);
}
