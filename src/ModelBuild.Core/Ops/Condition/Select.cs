using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>Select-1: element-wise choice between two inputs by a boolean condition, all broadcast NumPy-style.</summary>
public sealed class SelectOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("auto_broadcast", "numpy")];

    public SelectOp()
        : base("Select", version: 1, minInputs: 3, maxInputs: 3)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        context.Require(context.InputType(0) is ElementType.Boolean or ElementType.Dynamic, "the condition must be boolean");
        var type = context.InputType(1) == ElementType.Dynamic ? context.InputType(2) : context.InputType(1);
        context.Require(context.InputType(2) == type || context.InputType(2) == ElementType.Dynamic,
            $"then and else differ in type ({context.InputType(1).IrName()}, {context.InputType(2).IrName()})");
        var shape = Broadcasting.Numpy(context.InputShape(1), context.InputShape(2));
        shape = shape is null ? null : Broadcasting.Numpy(context.InputShape(0), shape);
        context.SetOutput(0, type, shape ?? throw context.Error("the inputs do not broadcast"));
    }

    public override Tensor[] Evaluate(EvaluationContext context)
    {
        var condition = context.Input(0);
        var then = context.Input(1);
        var otherwise = context.Input(2);
        var shape = context.OutputShape(0);
        var mapCondition = Broadcasting.IndexMap(shape, condition.Shape);
        var mapThen = Broadcasting.IndexMap(shape, then.Shape);
        var mapElse = Broadcasting.IndexMap(shape, otherwise.Shape);
        var flags = condition.As<bool>();

        // Both candidates side by side in one array, so one remap picks from either.
        var both = Tensor.ConcatenateFlat(then.Type, [then.ElementCount + otherwise.ElementCount], [then, otherwise]);
        var map = new int[mapThen.Length];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = flags[mapCondition[i]] ? mapThen[i] : (int)then.ElementCount + mapElse[i];
        }

        return [both.Remap(shape, map)];
    }
}

public static partial class ConditionOps
{
    public static readonly OpDefinition Select = new SelectOp();
}
