using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ComparisonOps
{
    public static readonly OpDefinition IsFinite = new UnaryOp("IsFinite", version: 10, UnaryInputs.Float,
        c => UnaryOp.MapToBoolean(c.Input(0), double.IsFinite), outputType: ElementType.Boolean);
}
