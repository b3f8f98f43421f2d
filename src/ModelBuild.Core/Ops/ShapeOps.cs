using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>ShapeOf-1 (always i64) and ShapeOf-3 (<c>output_type</c> i64 or i32).</summary>
public sealed class ShapeOfOp : OpDefinition
{
    private static readonly AttributeSpec[] V3Specs = [AttributeSpec.Type("output_type", ElementType.I64)];

    public ShapeOfOp(int version)
        : base("ShapeOf", version, 1, 1)
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

/// <summary>Reshape-1: target shape as an input; -1 infers one dim, 0 copies the input dim when <c>special_zero</c>.</summary>
public sealed class ReshapeOp : OpDefinition
{
    private static readonly AttributeSpec[] Specs = [AttributeSpec.Bool("special_zero")];

    public ReshapeOp()
        : base("Reshape", 1, 2, 2)
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

/// <summary>Squeeze-1: removes the given size-1 axes, or all size-1 axes when no axes input is given.</summary>
public sealed class SqueezeOp : OpDefinition
{
    public SqueezeOp()
        : base("Squeeze", 1, 1, 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        context.SetOutput(0, context.InputType(0), Squeezed(context, data));
        if (context.Input(0).SymbolicValue is { } value)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).Reshape(context.OutputShape(0))];

    private static PartialShape Squeezed(InferenceContext context, PartialShape data)
    {
        if (!data.IsRankStatic)
        {
            return PartialShape.DynamicRank;
        }

        if (context.InputCount < 2)
        {
            if (data.Any(d => d.IsDynamic && d.Contains(1)))
            {
                return PartialShape.DynamicRank;
            }

            return PartialShape.Of(data.Where(d => d != Dimension.Of(1)));
        }

        var axesValue = context.InputValue(1);
        if (axesValue is null)
        {
            return PartialShape.DynamicRank;
        }

        var axes = new HashSet<int>();
        foreach (var axis in axesValue.ToInt64Array())
        {
            var normalized = NormalizeAxis(context, axis, data.Rank);
            context.Require(data[normalized].Contains(1), $"axis {axis} has size {data[normalized]}, not 1");
            axes.Add(normalized);
        }

        return PartialShape.Of(data.Where((_, i) => !axes.Contains(i)));
    }

    internal static int NormalizeAxis(InferenceContext context, long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        context.Require(normalized >= 0 && normalized < rank, $"axis {axis} is out of range for rank {rank}");
        return (int)normalized;
    }
}

/// <summary>Unsqueeze-1: inserts size-1 axes; axes count in the output's rank.</summary>
public sealed class UnsqueezeOp : OpDefinition
{
    public UnsqueezeOp()
        : base("Unsqueeze", 1, 2, 2)
    {
    }

    public override bool EvaluatesLowPrecision => true;

    public override void Infer(InferenceContext context)
    {
        var data = context.InputShape(0);
        var axesValue = context.InputValue(1);
        if (!data.IsRankStatic || axesValue is null)
        {
            context.SetOutput(0, context.InputType(0), PartialShape.DynamicRank);
            return;
        }

        var axes = axesValue.ToInt64Array();
        var rank = data.Rank + axes.Length;
        var inserted = new bool[rank];
        foreach (var axis in axes)
        {
            var normalized = SqueezeOp.NormalizeAxis(context, axis, rank);
            context.Require(!inserted[normalized], $"axis {axis} is repeated");
            inserted[normalized] = true;
        }

        var dims = new Dimension[rank];
        var next = 0;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = inserted[i] ? Dimension.Of(1) : data[next++];
        }

        context.SetOutput(0, context.InputType(0), PartialShape.Of(dims));
        if (context.Input(0).SymbolicValue is { } value)
        {
            context.SetSymbolicValue(0, value);
        }
    }

    public override Tensor[] Evaluate(EvaluationContext context) =>
        [context.Input(0).Reshape(context.OutputShape(0))];
}

public static class ShapeOps
{
    public static readonly OpDefinition ShapeOf = new ShapeOfOp(3);
    public static readonly OpDefinition ShapeOfV1 = new ShapeOfOp(1);
    public static readonly OpDefinition Reshape = new ReshapeOp();
    public static readonly OpDefinition Squeeze = new SqueezeOp();
    public static readonly OpDefinition Unsqueeze = new UnsqueezeOp();
}
