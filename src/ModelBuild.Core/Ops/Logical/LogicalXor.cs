using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class LogicalOps
{
    public static readonly OpDefinition LogicalXor = new LogicalBinaryOp("LogicalXor", version: 2, (a, b) => a ^ b);
}
