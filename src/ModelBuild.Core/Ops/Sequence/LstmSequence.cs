using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class SequenceOps
{
    public static readonly OpDefinition LstmSequence = RecurrentSequenceOp.LstmV5();
    public static readonly OpDefinition LstmSequenceWithPeepholes = RecurrentSequenceOp.LstmV1();
}
