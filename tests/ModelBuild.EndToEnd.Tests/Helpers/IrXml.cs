using System.Xml.Linq;

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>Reads the facts the tests check from an IR .xml: layers by name and type, and their data attributes.</summary>
public sealed class IrXml(string path)
{
    private readonly XDocument _document = XDocument.Load(path);

    public IEnumerable<XElement> Layers => _document.Descendants("layer");

    public IEnumerable<XElement> LayersOfType(string type) => Layers.Where(l => (string?)l.Attribute("type") == type);

    public XElement? Layer(string name) => Layers.SingleOrDefault(l => (string?)l.Attribute("name") == name);

    /// <summary>A layer's &lt;data&gt; attribute, e.g. a Parameter's "shape" or "element_type".</summary>
    public static string? Data(XElement layer, string attribute) => (string?)layer.Element("data")?.Attribute(attribute);
}
