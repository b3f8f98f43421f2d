using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

public static partial class ComparisonOps
{
    public static readonly OpDefinition IsNaN = new UnaryOp("IsNaN", version: 10, UnaryInputs.Float,
        c => UnaryOp.MapToBoolean(c.Input(0), double.IsNaN), outputType: ElementType.Boolean);
}
