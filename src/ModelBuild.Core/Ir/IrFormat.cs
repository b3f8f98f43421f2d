using System.Globalization;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ir;

/// <summary>How attribute values and tensor names are spelled in IR v11, both ways.</summary>
public static class IrFormat
{
    public static string FormatAttribute(AttributeKind kind, object value) => kind switch
    {
        AttributeKind.Int => ((long)value).ToString(CultureInfo.InvariantCulture),
        AttributeKind.Float => FormatDouble((double)value),
        AttributeKind.Bool => (bool)value ? "true" : "false",
        AttributeKind.String => (string)value,
        AttributeKind.Ints => string.Join(", ", ((long[])value).Select(v => v.ToString(CultureInfo.InvariantCulture))),
        AttributeKind.Floats => string.Join(", ", ((double[])value).Select(FormatDouble)),
        AttributeKind.Strings => string.Join(", ", (string[])value),
        AttributeKind.ElementType => ((ElementType)value).IrName(),
        AttributeKind.PartialShape => ((PartialShape)value).ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static object ParseAttribute(AttributeKind kind, string text) => kind switch
    {
        AttributeKind.Int => long.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture),
        AttributeKind.Float => ParseDouble(text),
        AttributeKind.Bool => ParseBool(text),
        AttributeKind.String => text,
        AttributeKind.Ints => SplitList(text).Select(t => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray(),
        AttributeKind.Floats => SplitList(text).Select(ParseDouble).ToArray(),
        AttributeKind.Strings => SplitList(text).ToArray(),
        AttributeKind.ElementType => ElementTypes.Parse(text.Trim()),
        AttributeKind.PartialShape => PartialShape.Parse(text),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Shortest text that reads back as the same double.</summary>
    public static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Sorted tensor names joined by commas; a comma inside a name is escaped as <c>\,</c>.</summary>
    public static string FormatNames(IEnumerable<string> names) =>
        string.Join(",", names.OrderBy(n => n, StringComparer.Ordinal).Select(n => n.Replace(",", "\\,", StringComparison.Ordinal)));

    public static IEnumerable<string> ParseNames(string text)
    {
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else if (text[i] == ',')
            {
                yield return current.ToString().Trim();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString().Trim();
        }
    }

    /// <summary>The dims of a port: static lengths, -1 for any dynamic dim, none for a dynamic rank.</summary>
    public static IEnumerable<long> PortDims(PartialShape shape) =>
        shape.IsRankStatic ? shape.Select(d => d.IsStatic ? d.Length : -1L) : [];

    private static double ParseDouble(string text)
    {
        text = text.Trim();
        return text.ToLowerInvariant() switch
        {
            "inf" or "+inf" or "infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            "nan" or "-nan" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    private static bool ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException($"'{text}' is not a boolean."),
    };

    private static string[] SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
