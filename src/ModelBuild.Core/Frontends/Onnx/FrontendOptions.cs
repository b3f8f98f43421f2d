using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// One entry of the user's input specification (<c>--input</c> in ovc/mo syntax): which input
/// (by name, or by position when unnamed), and what to pin: shape, element type, or a frozen value
/// that turns the input into a constant.
/// </summary>
public sealed record InputOverride
{
    /// <summary>A graph input or any tensor name (the graph is then cut there); null for positional entries.</summary>
    public string? Name { get; init; }

    public PartialShape? Shape { get; init; }

    public ElementType? Type { get; init; }

    /// <summary>The frozen value as written, element type and shape not yet applied.</summary>
    public double[]? Value { get; init; }

    /// <summary>
    /// The constant the frozen <see cref="Value"/> makes of input <paramref name="name"/>: this entry's type and shape, else
    /// the declared ones; a shape that is not static takes one value as a scalar and a rank-1 shape as many as given.
    /// The converter and the verifier both freeze inputs through this, so a frozen model verifies as it converts.
    /// </summary>
    public Tensor FrozenTensor(string name, ElementType declaredType, PartialShape declaredShape, string modelPath)
    {
        var values = Value ?? throw new InvalidOperationException($"The override of '{name}' gives no value.");
        var type = Type ?? declaredType;
        var shape = Shape ?? declaredShape;
        if (type is ElementType.F8E4M3 or ElementType.F8E5M2 || !(type.IsNumeric() || type == ElementType.Boolean))
        {
            throw new ModelBuildException(DiagnosticCode.InvalidInputOverride,
                $"Input '{name}' is {type.IrName()}: ModelBuild freezes values of boolean, integer and 16-, 32- and 64-bit floating-point inputs only.", modelPath);
        }

        long[] dims;
        if (shape.IsStatic)
        {
            dims = shape.ToStatic();
        }
        else
        {
            dims = values.Length == 1 && (!shape.IsRankStatic || shape.Rank == 0) ? [] : shape.IsRankStatic && shape.Rank == 1 ? [values.Length] : [];
        }

        // Saturating: a declared shape may be huge, past long.MaxValue elements.
        if (EvaluationBudget.Product(dims) != values.Length)
        {
            throw new ModelBuildException(DiagnosticCode.InvalidInputOverride,
                $"Input '{name}' has shape {PartialShape.Static(dims).ToDisplayString()}, which does not hold the {values.Length} frozen value(s) given.", modelPath);
        }

        return Tensor.FromDoubles(type, values, dims);
    }

    public override string ToString()
    {
        var text = Name ?? "";
        if (Shape is not null)
        {
            text += Shape.ToDisplayString();
        }

        if (Type is not null)
        {
            text += $"{{{Type.Value.IrName()}}}";
        }

        if (Value is not null)
        {
            text += $"->[{string.Join(" ", Value)}]";
        }

        return text;
    }
}

/// <summary>Options that shape how a model is read: input overrides and where to cut outputs.</summary>
public sealed record FrontendOptions
{
    public IReadOnlyList<InputOverride> Inputs { get; init; } = [];

    /// <summary>Tensor names to make the model outputs, in order; empty keeps the model's own outputs.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
