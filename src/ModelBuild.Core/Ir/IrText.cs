using System.Globalization;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ir;

/// <summary>
/// What text the IR can carry. XML 1.0 has no place for control characters, but OpenVINO's reader
/// (pugixml) decodes them from character references — the way its own serializer writes them — so
/// the IR writer writes them as <c>&amp;#x18;</c> and names come back exactly (<see cref="IrReader"/>
/// reads them too). Two kinds of character no reader gives back: NUL (OpenVINO's names end there)
/// and unpaired UTF-16 surrogates (no UTF-8 form). A name or string holding one is refused before
/// anything is written, naming the node.
/// </summary>
public static class IrText
{
    /// <summary>Throws MB3004 naming the first node whose name, tensor names, string attributes or runtime info the IR cannot carry.</summary>
    public static void Validate(Model model)
    {
        Check(model.Name, "model name", null);
        foreach (var (key, value) in model.ConversionParameters)
        {
            Check(key, "conversion parameter name", null);
            Check(value, $"conversion parameter '{key}'", null);
        }

        ValidateGraph(model);
    }

    /// <summary>The first character of <paramref name="text"/> no IR reader can give back, as "U+0000", or null.</summary>
    public static string? FindUnwritable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "U+0000";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"an unpaired surrogate U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }

    private static void ValidateGraph(Model model)
    {
        foreach (var node in model.OrderedNodes())
        {
            if (node.Name is { } name)
            {
                Check(name, "name", node);
            }

            foreach (var port in node.Outputs)
            {
                foreach (var tensor in port.Names)
                {
                    Check(tensor, "tensor name", node);
                }
            }

            foreach (var (attribute, value) in node.Attributes.Values)
            {
                var texts = value switch
                {
                    string text => [text],
                    string[] list => list,
                    _ => [],
                };
                foreach (var text in texts)
                {
                    Check(text, $"attribute '{attribute}'", node);
                }
            }

            foreach (var entry in node.RuntimeInfo)
            {
                foreach (var (key, value) in entry.Values)
                {
                    Check(value, $"runtime info '{entry.Name}.{key}'", node);
                }
            }

            foreach (var body in node.Bodies)
            {
                ValidateGraph(body.Graph);
            }
        }
    }

    private static void Check(string text, string what, Node? node)
    {
        if (FindUnwritable(text) is { } character)
        {
            var shown = text.Replace("\0", "\\0", StringComparison.Ordinal);
            throw new ModelBuildException(DiagnosticCode.UnwritableText,
                $"The {what} \"{shown}\" holds {character}, which OpenVINO IR cannot carry (XML has no such character and OpenVINO's names end at NUL); rename it in the model.",
                node: node is null ? null : node.Name ?? node.Type);
        }
    }
}
