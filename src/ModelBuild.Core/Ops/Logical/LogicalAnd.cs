using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class LogicalOps
{
    public static readonly OpDefinition LogicalAnd = new LogicalBinaryOp("LogicalAnd", version: 1, (a, b) => a && b);
}
