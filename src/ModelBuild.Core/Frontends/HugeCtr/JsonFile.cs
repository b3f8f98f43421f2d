using System.Text.Json;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// Reads the JSON files of a HugeCTR model through the conversion's <see cref="MappedFileSet"/>, so they
/// are listed with the model's other files among those the conversion read (build dependency tracking).
/// </summary>
internal static class JsonFile
{
    /// <exception cref="JsonException">The file is not one JSON value, or holds text that is not Unicode.</exception>
    public static JsonElement Read(string fullPath, MappedFileSet files)
    {
        var file = files.Get(fullPath);
        var reader = new Utf8JsonReader(file.Span(0, checked((int)file.Length)));
        using var document = JsonDocument.ParseValue(ref reader);

        // Anything but whitespace after the value makes Read throw.
        reader.Read();
        var root = document.RootElement.Clone();
        CheckText(root);
        return root;
    }

    // Strings are decoded lazily, so invalid UTF-8 (or an escaped lone surrogate) would only throw where a layer
    // reads it, as an InvalidOperationException: every name and string is decoded once here instead.
    private static void CheckText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        CheckText(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckText(item);
                    }

                    break;
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                default:
                    break;
            }
        }
        catch (InvalidOperationException error)
        {
            throw new JsonException($"The file holds text that is not valid Unicode: {error.Message}", error);
        }
    }
}
