using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class MovementOps
{
    public static readonly OpDefinition DepthToSpace = new SpaceDepthOp(toSpace: true);
}
