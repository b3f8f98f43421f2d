using System.Globalization;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Conversion;

/// <summary>
/// Parses input specifications in the syntax of ovc and the legacy mo:
/// comma-separated entries, each <c>name</c>, <c>name[shape]</c>, <c>[shape]</c>, with an optional type
/// <c>{i64}</c> (before or after the shape) and an optional frozen value <c>-&gt;157</c> or <c>-&gt;[1 2]</c>.
/// Shapes separate dims with commas or spaces, in [] or (); a dim is N, ?, -1, a..b, a.. or ..b.
/// Example: <c>input.1[157 1 240],1-&gt;157</c>.
/// </summary>
public static class InputSpecParser
{
    public static IReadOnlyList<InputOverride> Parse(IEnumerable<string> specs) => specs.SelectMany(Parse).ToList();

    public static IReadOnlyList<InputOverride> Parse(string spec) =>
        SplitTopLevel(spec, ',').Where(e => e.Trim().Length > 0).Select(e => ParseEntry(e.Trim(), spec)).ToList();

    /// <summary>Parses an <c>--output</c> list: comma-separated tensor names.</summary>
    public static IReadOnlyList<string> ParseOutputs(IEnumerable<string> specs) =>
        specs.SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>
    /// Folds Model Optimizer's <c>--input_shape</c> into <c>--input</c> entries, as ovc spells them: each shape goes to the
    /// entry in the same position (<c>--input a,b --input_shape [1,2],[3]</c> is <c>a[1,2],b[3]</c>), or, without
    /// entries, to the model's inputs in order (<c>[1,2],[3]</c>).
    /// </summary>
    /// <exception cref="ModelBuildException">The counts differ, or an entry already has a shape (MB2003).</exception>
    public static IReadOnlyList<string> WithLegacyShapes(IReadOnlyList<string> inputs, string inputShape)
    {
        var shapes = SplitTopLevel(inputShape, ',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (shapes.Any(s => s[0] is not ('[' or '(')))
        {
            throw Error("--input_shape takes shapes in [] or (), separated by commas", inputShape);
        }

        var entries = inputs.SelectMany(i => SplitTopLevel(i, ',')).Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        if (entries.Count == 0)
        {
            return [string.Join(",", shapes)];
        }

        if (entries.Count != shapes.Count)
        {
            throw Error($"--input names {entries.Count} inputs but --input_shape gives {shapes.Count} shapes", inputShape);
        }

        return [string.Join(",", entries.Zip(shapes, (entry, shape) =>
        {
            // The shape goes after the name: before a type, a frozen value, or at the end.
            var head = IndexOfTopLevel(entry, "->") is var arrow and >= 0 ? entry[..arrow] : entry;
            var nameEnd = head.IndexOf('{', StringComparison.Ordinal) is var brace and >= 0 ? brace : head.Length;
            return head.IndexOfAny(['[', '(']) >= 0
                ? throw Error($"'{entry}' has a shape of its own and --input_shape gives it {shape}", inputShape)
                : entry[..nameEnd] + shape + entry[nameEnd..];
        }))];
    }

    private static InputOverride ParseEntry(string entry, string spec)
    {
        string? valueText = null;
        var arrow = IndexOfTopLevel(entry, "->");
        if (arrow >= 0)
        {
            valueText = entry[(arrow + 2)..].Trim();
            entry = entry[..arrow].Trim();
        }

        var nameEnd = entry.IndexOfAny(['[', '(', '{']);
        var name = (nameEnd < 0 ? entry : entry[..nameEnd]).Trim();
        var rest = nameEnd < 0 ? "" : entry[nameEnd..];
        PartialShape? shape = null;
        ElementType? type = null;
        while (rest.Length > 0)
        {
            var close = rest[0] switch { '[' => ']', '(' => ')', '{' => '}', _ => throw Error($"unexpected '{rest}' in '{entry}'", spec) };
            var end = rest.IndexOf(close, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error($"'{rest[0]}' is not closed in '{entry}'", spec);
            }

            var inner = rest[1..end];
            if (close == '}')
            {
                type = type is null ? ParseType(inner, spec) : throw Error($"'{entry}' gives two types", spec);
            }
            else
            {
                shape = shape is null ? ParseShape(inner, spec) : throw Error($"'{entry}' gives two shapes", spec);
            }

            rest = rest[(end + 1)..].Trim();
        }

        return new InputOverride
        {
            Name = name.Length == 0 ? null : name,
            Shape = shape,
            Type = type,
            Value = valueText is null ? null : ParseValues(valueText, spec),
        };
    }

    private static PartialShape ParseShape(string text, string spec)
    {
        var dims = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            return PartialShape.Of(dims.Select(Dimension.Parse));
        }
        catch (Exception error) when (error is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw Error($"'[{text}]' is not a shape: dims are numbers, ?, -1 or ranges like 1..10", spec);
        }
    }

    private static ElementType ParseType(string text, string spec)
    {
        var name = text.Trim().ToLowerInvariant() switch
        {
            "float" or "float32" or "fp32" => "f32",
            "half" or "float16" or "fp16" => "f16",
            "double" or "float64" or "fp64" => "f64",
            "int64" => "i64",
            "int32" => "i32",
            "int16" => "i16",
            "int8" => "i8",
            "uint8" => "u8",
            "uint16" => "u16",
            "uint32" => "u32",
            "uint64" => "u64",
            "bool" => "boolean",
            var other => other,
        };
        return ElementTypes.TryParse(name, out var type) && type != ElementType.Dynamic
            ? type
            : throw Error($"'{text}' is not an element type (use f32, f16, i64, i32, u8, boolean, ...)", spec);
    }

    private static double[] ParseValues(string text, string spec)
    {
        var inner = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        return inner.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant() switch
        {
            "true" => 1.0,
            "false" => 0.0,
            _ => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Error($"'{v}' is not a value to freeze an input to", spec),
        }).ToArray();
    }

    private static int IndexOfTopLevel(string text, string token)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] is '[' or '(' or '{' ? 1 : text[i] is ']' or ')' or '}' ? -1 : 0;
            if (depth == 0 && string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] is '[' or '(' or '{' ? 1 : text[i] is ']' or ')' or '}' ? -1 : 0;
            if (depth == 0 && text[i] == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static ModelBuildException Error(string message, string spec) =>
        new(DiagnosticCode.InvalidInputOverride, $"Invalid input specification \"{spec}\": {message}.");
}
