using System.Xml.Linq;

// ModelBuild converted models/lenet5.onnx at build time; the IR sits beside the app.
var xml = Path.Combine(AppContext.BaseDirectory, "models", "lenet5.xml");
if (!File.Exists(xml))
{
    Console.Error.WriteLine($"{xml} is missing: was the app built with the ModelBuild package?");
    return 1;
}

var layers = XDocument.Load(xml).Descendants("layer").ToList();
var input = layers.First(layer => (string?)layer.Attribute("type") == "Parameter");
Console.WriteLine($"{xml}: {layers.Count} layers; input '{input.Attribute("name")?.Value}' of shape [{input.Element("data")?.Attribute("shape")?.Value}]; weights in {Path.ChangeExtension(xml, ".bin")}");
return 0;
