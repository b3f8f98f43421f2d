using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class LogicalOps
{
    public static readonly OpDefinition LogicalOr = new LogicalBinaryOp("LogicalOr", version: 1, (a, b) => a || b);
}
