using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class LogicalOps
{
    public static readonly OpDefinition LogicalNot = new UnaryOp("LogicalNot", version: 1, UnaryInputs.Boolean,
        c => new Tensor(ElementType.Boolean, c.Input(0).Shape, Array.ConvertAll(c.Input(0).As<bool>(), b => !b)));
}
