using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SequenceOps
{
    public static readonly OpDefinition RnnSequence = RecurrentSequenceOp.RnnV5();
}
