using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>Reshape-1: target shape as an input; -1 infers one dim, 0 copies the input dim when <c>special_zero</c>.</summary>
public sealed class ReshapeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("special_zero")];

    public ReshapeOp()
        : base("Reshape", version: 1, minInputs: 2, maxInputs: 2)
    {
    }

    public override IReadOnlyList<AttributeSpec> AttributeSpecs => Specs;

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var target = TargetDims(context, data);
        context.SetOutput(0, context.InputType(0), target);
        if (context.Input(0).SymbolicValue is { } value && target.IsRankStatic && target.Rank <= 1)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).Reshape(context.OutputShape(0))];

    private static PartialShape TargetDims(InferenceContext context, PartialShape data)
    {
        var specialZero = context.Attributes.GetBool("special_zero");
        var targetShape = context.InputShape(1);
        context.Require(!targetShape.IsRankStatic || targetShape.Rank <= 1, "the target shape must be 0-D or 1-D");
        var constant = context.InputValue(1);
        Dimension[] dims;
        int inferred = -1;
        if (constant is not null)
        {
            var values = constant.ToInt64Array();
            dims = new Dimension[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] == -1)
                {
                    context.Require(inferred < 0, "only one dimension can be -1");
                    inferred = i;
                    dims[i] = Dimension.Dynamic;
                }
                else if (values[i] == 0 && specialZero)
                {
                    context.Require(!data.IsRankStatic || i < data.Rank, $"dimension {i} copies an input dimension that does not exist");
                    dims[i] = data.IsRankStatic ? data[i] : Dimension.Dynamic;
                }
                else
                {
                    context.Require(values[i] >= 0, $"invalid target dimension {values[i]}");
                    dims[i] = values[i];
                }
            }
        }
        else if (context.InputAsShape(1) is { } symbolic)
        {
            dims = symbolic.ToArray();
            for (var i = 0; i < dims.Length; i++)
            {
                if (specialZero && dims[i] == Dimension.Of(0))
                {
                    dims[i] = data.IsRankStatic && i < data.Rank ? data[i] : Dimension.Dynamic;
                }
                else if (dims[i].IsDynamic && dims[i].Min == 0)
                {
                    // A value that may be 0 (copy) or -1 (infer) is unknown either way.
                    dims[i] = Dimension.Dynamic;
                }
            }
        }
        else
        {
            return targetShape.IsStatic ? PartialShape.DynamicOfRank((int)targetShape.ElementCount().Length) : PartialShape.DynamicRank;
        }

        var total = data.ElementCount();
        if (inferred >= 0)
        {
            var known = Dimension.Of(1);
            for (var i = 0; i < dims.Length; i++)
            {
                if (i != inferred)
                {
                    known *= dims[i];
                }
            }

            if (total.IsStatic && known.IsStatic)
            {
                context.Require(known.Length != 0 ? total.Length % known.Length == 0 : total.Length == 0,
                    $"cannot reshape {data.ToDisplayString()} to {PartialShape.Of(dims).ToDisplayString()}");
                dims[inferred] = known.Length == 0 ? 0 : total.Length / known.Length;
            }
        }
        else
        {
            var product = PartialShape.Of(dims).ElementCount();
            context.Require(!total.IsStatic || !product.IsStatic || total.Length == product.Length,
                $"cannot reshape {data.ToDisplayString()} ({(total.IsStatic ? total.Length : 0)} elements) to {PartialShape.Of(dims).ToDisplayString()}");
        }

        return PartialShape.Of(dims);
    }
}

public static partial class ShapeOps
{
    public static readonly OpDefinition Reshape = new ReshapeOp();
}
