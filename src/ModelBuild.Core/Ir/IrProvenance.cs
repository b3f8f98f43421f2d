using System.Xml;

namespace ModelBuild.Core.Ir;

/// <summary>
/// Tells IR that ModelBuild wrote from any other file. <see cref="IrWriter"/> stamps every IR's net-level
/// <c>rt_info</c> with <c>&lt;Runtime_version value="ModelBuild x.y.z"/&gt;</c>, where OpenVINO's own tools write
/// their release; a file is ModelBuild's IR when it is an IR <c>&lt;net&gt;</c> carrying that stamp. The MSBuild
/// package replaces an existing output only when it is (docs/architecture.md, "Outputs the build owns").
/// </summary>
public static class IrProvenance
{
    /// <summary>How the <c>Runtime_version</c> of ModelBuild's IR starts; the version follows.</summary>
    public const string RuntimeVersionPrefix = "ModelBuild ";

    /// <summary>
    /// Whether <paramref name="xmlPath"/> is IR written by ModelBuild (any version). False for a missing file,
    /// another tool's IR and anything that is not IR XML.
    /// </summary>
    public static bool IsWrittenByModelBuild(string xmlPath)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreWhitespace = true };
        try
        {
            using var reader = XmlReader.Create(xmlPath, settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.Name != "net" || reader.IsEmptyElement)
            {
                return false;
            }

            // One forward pass over the whole file: a truncated or otherwise damaged file is nobody's IR.
            var stamped = false;
            var inNetRuntimeInfo = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.Depth == 1)
                {
                    inNetRuntimeInfo = reader.Name == "rt_info";
                }
                else if (reader.Depth == 2 && inNetRuntimeInfo && reader.Name == "Runtime_version")
                {
                    stamped = reader.GetAttribute("value")?.StartsWith(RuntimeVersionPrefix, StringComparison.Ordinal) == true;
                }
            }

            return stamped;
        }
        catch (Exception error) when (error is XmlException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
