using System.Text.Json;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Frontends.HugeCtr;

/// <summary>
/// Reads the JSON files of a HugeCTR model through the conversion's <see cref="MappedFileSet"/>, so they
/// are listed with the model's other files among those the conversion read (build dependency tracking).
/// </summary>
internal static class JsonFile
{
    /// <exception cref="JsonException">The file is not one JSON value.</exception>
    public static JsonElement Read(string fullPath, MappedFileSet files)
    {
        var file = files.Get(fullPath);
        var reader = new Utf8JsonReader(file.Span(0, checked((int)file.Length)));
        using var document = JsonDocument.ParseValue(ref reader);

        // Anything but whitespace after the value makes Read throw.
        reader.Read();
        return document.RootElement.Clone();
    }
}
