using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class BitwiseOps
{
    public static readonly OpDefinition BitwiseRightShift = new BitwiseShiftOp(left: false);
}
