using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>ShapeOf-1 (always i64) and ShapeOf-3 (<c>output_type</c> i64 or i32).</summary>
public sealed class ShapeOfOp : OpDefinition
{
    private static readonly AttributeSpec[] V3Specs = [AttributeSpec.Type("output_type", ElementType.I64)];

    public ShapeOfOp(int version)
        : base("ShapeOf", version, minInputs: 1, maxInputs: 1)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Version >= 3 ? V3Specs : [];

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var type = Version >= 3 ? context.Attributes.GetElementType("output_type") : ElementType.I64;
        context.Require(type is ElementType.I64 or ElementType.I32, $"output_type must be i64 or i32, not {type.IrName()}");
        var shape = context.InputShape(0);
        if (!shape.IsRankStatic)
        {
            context.SetOutput(0, type, PartialShape.Of(Dimension.Dynamic));
            return;
        }

        context.SetOutput(0, type, PartialShape.Static(shape.Rank));
        context.SetSymbolicValue(0, shape);
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var shape = context.Input(0).Shape;
        return [Tensor.FromInt64s(context.OutputType(0), shape, [shape.Length])];
    }
}

public static partial class ShapeOps
{
    public static readonly OpDefinition ShapeOf = new ShapeOfOp(version: 3);
    public static readonly OpDefinition ShapeOfV1 = new ShapeOfOp(version: 1);
}
