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
