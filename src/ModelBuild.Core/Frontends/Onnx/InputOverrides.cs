using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// Matches the user's input overrides to a graph: named entries to graph inputs (or, for other
/// tensor names, to cut points), unnamed entries to graph inputs by position.
/// </summary>
internal sealed class InputOverrides
{
    private InputOverrides()
    {
    }

    /// <summary>Overrides of graph inputs, by input name.</summary>
    public Dictionary<string, InputOverride> ForInput { get; } = new(StringComparer.Ordinal);

    /// <summary>Overrides naming tensors that are not graph inputs: the graph is cut there.</summary>
    public Dictionary<string, InputOverride> Cuts { get; } = new(StringComparer.Ordinal);

    /// <summary>The position each listed input takes among the converted model's inputs.</summary>
    public Dictionary<string, int> Order { get; } = new(StringComparer.Ordinal);

    public static InputOverrides Match(IReadOnlyList<InputOverride> overrides, IReadOnlyList<string> graphInputs, string file)
    {
        var result = new InputOverrides();
        var named = overrides.Count(o => o.Name is not null);
        if (named != 0 && named != overrides.Count)
        {
            throw new ModelBuildException(DiagnosticCode.InvalidInputOverride,
                "Name either every input override or none of them (unnamed ones apply to the model's inputs in order).", file);
        }

        if (named == 0 && overrides.Count > graphInputs.Count)
        {
            throw new ModelBuildException(DiagnosticCode.InvalidInputOverride,
                $"{overrides.Count} unnamed input overrides were given but the model has {graphInputs.Count} inputs: {string.Join(", ", graphInputs)}.", file);
        }

        for (var i = 0; i < overrides.Count; i++)
        {
            var entry = overrides[i];
            var name = entry.Name ?? graphInputs[i];
            if (result.ForInput.ContainsKey(name) || result.Cuts.ContainsKey(name))
            {
                throw new ModelBuildException(DiagnosticCode.InvalidInputOverride, $"The input '{name}' is overridden twice.", file);
            }

            if (graphInputs.Contains(name))
            {
                result.ForInput[name] = entry;
            }
            else
            {
                result.Cuts[name] = entry;
            }

            result.Order[name] = i;
        }

        return result;
    }
}
