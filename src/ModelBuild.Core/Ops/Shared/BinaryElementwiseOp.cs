using ModelBuild.Core.Graph;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Element-wise binary ops (arithmetic, comparison, logical) with OpenVINO's <c>auto_broadcast</c>:
/// <c>numpy</c> (the default) or <c>none</c> (shapes must match).
/// </summary>
public abstract class BinaryElementwiseOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.String("auto_broadcast", "numpy")];

    protected BinaryElementwiseOp(string type, int version)
        : base(type, version, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override void Infer(InferenceContext context)
    {
        var left = context.InputType(0);
        var right = context.InputType(1);
        context.Require(left == right || left == ElementType.Dynamic || right == ElementType.Dynamic,
            $"input element types differ ({left.IrName()} and {right.IrName()})");
        CheckInputType(context, left == ElementType.Dynamic ? right : left);
        var shape = BroadcastShape(context);
        context.SetOutput(0, OutputType(left == ElementType.Dynamic ? right : left), shape);
        InferSymbolicValue(context, shape);
    }

    /// <summary>The output shape under the node's <c>auto_broadcast</c> rule.</summary>
    protected static PartialShape BroadcastShape(InferenceContext context)
    {
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        var mode = context.Attributes.GetString("auto_broadcast");
        if (mode == "none")
        {
            return a.Merge(b) ?? throw context.Error($"shapes {a.ToDisplayString()} and {b.ToDisplayString()} differ and broadcasting is off");
        }

        context.Require(mode == "numpy", $"auto_broadcast '{mode}' is not supported");
        return Broadcasting.Numpy(a, b) ?? throw context.Error($"shapes {a.ToDisplayString()} and {b.ToDisplayString()} do not broadcast");
    }

    protected virtual ElementType OutputType(ElementType inputType) => inputType;

    /// <summary>
    /// Sets the output's symbolic value from the inputs' (0-D/1-D integer outputs of shape computations),
    /// combining element by element with <paramref name="combine"/>; a one-value input stands for all.
    /// Nothing is recorded when a value is unknown or <paramref name="combine"/> cannot tell.
    /// </summary>
    protected static void CombineSymbolicValues(InferenceContext context, PartialShape outputShape, Func<Dimension, Dimension, Dimension?> combine)
    {
        var a = context.InputAsShape(0);
        var b = context.InputAsShape(1);
        if (a is null || b is null || !outputShape.IsStatic || outputShape.Rank > 1)
        {
            return;
        }

        var count = (int)outputShape.ElementCount().Length;
        if (!BroadcastsTo(a, count) || !BroadcastsTo(b, count))
        {
            return;
        }

        var dims = new Dimension[count];
        for (var i = 0; i < count; i++)
        {
            var result = combine(ValueAt(a, i), ValueAt(b, i));
            if (result is null)
            {
                return;
            }

            dims[i] = result.Value;
        }

        context.SetSymbolicValue(0, PartialShape.Of(dims));
    }

    /// <summary>Whether a list of known values has one value (broadcast to all) or exactly <paramref name="count"/>.</summary>
    private static bool BroadcastsTo(PartialShape values, int count) => values.Rank == 1 || values.Rank == count;

    /// <summary>Value <paramref name="index"/> of a known-value list, a single value standing for all.</summary>
    private static Dimension ValueAt(PartialShape values, int index) => values[values.Rank == 1 ? 0 : index];

    protected virtual void CheckInputType(InferenceContext context, ElementType type)
    {
    }

    protected virtual void InferSymbolicValue(InferenceContext context, PartialShape outputShape)
    {
    }
}
