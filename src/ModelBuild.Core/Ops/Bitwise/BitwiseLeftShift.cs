using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class BitwiseOps
{
    public static readonly OpDefinition BitwiseLeftShift = new BitwiseShiftOp(left: true);
}
