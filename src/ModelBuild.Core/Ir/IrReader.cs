using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Ir;

/// <summary>
/// Reads OpenVINO IR v11 back into a graph, re-running type and shape inference on every op as
/// OpenVINO's <c>read_model</c> does, so an IR that reads here has consistent attributes and edges.
/// Constants are views of the memory-mapped .bin.
/// </summary>
public static class IrReader
{
    public static Model Read(string xmlPath, MappedFileSet files, string? binPath = null)
    {
        binPath ??= Path.ChangeExtension(xmlPath, ".bin");
        XDocument document;
        try
        {
            // Names may hold control characters as character references, as OpenVINO's own serializer writes them.
            using var xml = XmlReader.Create(xmlPath, new XmlReaderSettings { CheckCharacters = false });
            document = XDocument.Load(xml);
        }
        catch (Exception error) when (error is XmlException or IOException)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedIr, $"The IR XML cannot be read: {error.Message}", xmlPath);
        }

        var net = document.Root;
        if (net is null || net.Name != "net")
        {
            throw new ModelBuildException(DiagnosticCode.MalformedIr, "The root element is not <net>.", xmlPath);
        }

        var version = (string?)net.Attribute("version");
        if (version is not ("10" or "11"))
        {
            throw new ModelBuildException(DiagnosticCode.MalformedIr, $"IR version '{version}' is not supported; ModelBuild reads IR v10 and v11.", xmlPath);
        }

        var bin = File.Exists(binPath) ? files.Get(binPath) : null;
        var reader = new GraphReader(xmlPath, bin);
        var model = reader.ReadGraph(net, (string?)net.Attribute("name") ?? "model");
        ReadConversionParameters(net, model);
        return model;
    }

    private static void ReadConversionParameters(XElement net, Model model)
    {
        var parameters = net.Element("rt_info")?.Element("conversion_parameters");
        foreach (var entry in parameters?.Elements() ?? [])
        {
            var key = entry.Name == "info" ? (string?)entry.Attribute("name") : entry.Name.LocalName;
            if (key is not null && (string?)entry.Attribute("value") is { } value)
            {
                model.ConversionParameters.Add(new(key, value));
            }
        }
    }

    private sealed class GraphReader(string xmlPath, MappedFile? bin)
    {
        public Model ReadGraph(XElement graph, string name)
        {
            var layers = graph.Element("layers")?.Elements("layer").ToList()
                ?? throw Error("a graph has no <layers>", null);
            var edges = ReadEdges(graph);
            var byId = new Dictionary<int, XElement>();
            foreach (var layer in layers)
            {
                var id = IntAttribute(layer, "id");
                if (!byId.TryAdd(id, layer))
                {
                    throw Error($"layer id {id} is used twice", layer);
                }
            }

            var nodes = new Dictionary<int, Node>();
            var parameters = new List<Node>();
            var results = new List<Node>();
            foreach (var layer in layers)
            {
                Build(IntAttribute(layer, "id"), byId, edges, nodes, []);
            }

            foreach (var layer in layers)
            {
                var node = nodes[IntAttribute(layer, "id")];
                if (node.Op is ParameterOp)
                {
                    parameters.Add(node);
                }
                else if (node.Op is ResultOp)
                {
                    results.Add(node);
                }
            }

            return new Model(name, parameters, results);
        }

        // Layers are created producers first, whatever their order in the file.
        private Node Build(int id, Dictionary<int, XElement> layers, Dictionary<(int Layer, int Port), (int Layer, int Port)> edges, Dictionary<int, Node> nodes, HashSet<int> inProgress)
        {
            if (nodes.TryGetValue(id, out var existing))
            {
                return existing;
            }

            if (!inProgress.Add(id))
            {
                throw Error($"the edges form a cycle through layer {id}", layers[id]);
            }

            var layer = layers[id];
            var inputPorts = layer.Element("input")?.Elements("port").ToList() ?? [];
            var inputs = new Output[inputPorts.Count];
            for (var i = 0; i < inputPorts.Count; i++)
            {
                var portId = IntAttribute(inputPorts[i], "id");
                if (!edges.TryGetValue((id, portId), out var source))
                {
                    throw Error($"input port {portId} has no incoming edge", layer);
                }

                if (!layers.TryGetValue(source.Layer, out var producerLayer))
                {
                    throw Error($"an edge comes from layer {source.Layer}, which does not exist", layer);
                }

                var producer = Build(source.Layer, layers, edges, nodes, inProgress);
                var outputIndex = OutputIndex(producerLayer, source.Port);
                if (outputIndex < 0 || outputIndex >= producer.Outputs.Count)
                {
                    throw Error($"an edge comes from port {source.Port} of layer {source.Layer}, which has no such output", layer);
                }

                inputs[i] = producer.Output(outputIndex);
            }

            var node = CreateNode(layer, inputs);
            nodes[id] = node;
            inProgress.Remove(id);
            return node;
        }

        private Node CreateNode(XElement layer, Output[] inputs)
        {
            var type = StringAttribute(layer, "type");
            var version = StringAttribute(layer, "version");
            var op = OpsetRegistry.Find(type, version)
                ?? throw new ModelBuildException(DiagnosticCode.UnknownIrOperation,
                    $"Layer '{(string?)layer.Attribute("name")}' has type {type} of {version}, which ModelBuild does not know.", xmlPath);
            var data = layer.Element("data");
            try
            {
                Node node;
                if (op is ConstantOp)
                {
                    node = CreateConstant(layer, data ?? throw Error("a Const layer has no <data>", layer));
                }
                else
                {
                    var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (var spec in op.AttributeSpecs)
                    {
                        if (data?.Attribute(spec.Name) is { } attribute)
                        {
                            attributes[spec.Name] = IrFormat.ParseAttribute(spec.Kind, attribute.Value);
                        }
                    }

                    node = Node.Create(op, inputs, attributes, ReadBodies(layer, inputs.Length));
                }

                node.Name = (string?)layer.Attribute("name");
                ReadRuntimeInfo(layer, node);
                ReadOutputNames(layer, node);
                return node;
            }
            catch (Exception error) when (error is InferenceException or FormatException or OverflowException or ArgumentException)
            {
                throw Error(error.Message, layer);
            }
        }

        private Node CreateConstant(XElement layer, XElement data)
        {
            var type = ElementTypes.Parse(StringAttribute(data, "element_type"));
            var shape = (long[])IrFormat.ParseAttribute(AttributeKind.Ints, (string?)data.Attribute("shape") ?? "");
            var offset = long.Parse(StringAttribute(data, "offset"), CultureInfo.InvariantCulture);
            var size = long.Parse(StringAttribute(data, "size"), CultureInfo.InvariantCulture);
            if (bin is null)
            {
                throw Error("a Const needs the .bin file, which is missing", layer);
            }

            if (offset < 0 || size < 0 || offset > bin.Length - size)
            {
                throw Error($"the Const reads bytes [{offset}, {offset + size}) of a {bin.Length}-byte .bin", layer);
            }

            return Node.CreateConstant(type, shape, new MappedTensorData(bin, offset, size));
        }

        private List<Body> ReadBodies(XElement layer, int inputCount)
        {
            var bodies = new List<Body>();
            if (layer.Element("body") is { } body)
            {
                bodies.Add(ReadBody(body, layer.Element("port_map"), layer.Element("back_edges"), inputCount));
            }

            if (layer.Element("then_body") is { } thenBody && layer.Element("else_body") is { } elseBody)
            {
                bodies.Add(ReadBody(thenBody, layer.Element("then_port_map"), null, inputCount));
                bodies.Add(ReadBody(elseBody, layer.Element("else_port_map"), null, inputCount));
            }

            return bodies;
        }

        private Body ReadBody(XElement bodyElement, XElement? portMap, XElement? backEdges, int inputCount)
        {
            var graph = ReadGraph(bodyElement, "body");
            var order = bodyElement.Element("layers")!.Elements("layer").Select(l => IntAttribute(l, "id")).ToList();
            var parameterIds = order.Where((_, i) => IsType(bodyElement, i, "Parameter")).ToList();
            var resultIds = order.Where((_, i) => IsType(bodyElement, i, "Result")).ToList();
            var backEdgeByParameter = (backEdges?.Elements("edge") ?? [])
                .ToDictionary(e => IntAttribute(e, "to-layer"), e => IntAttribute(e, "from-layer"));

            var inputs = new List<BodyInput>();
            var outputs = new List<BodyOutput>();
            int? currentIteration = null;
            int? executionCondition = null;
            foreach (var entry in portMap?.Elements("input") ?? [])
            {
                var parameter = IndexOf(parameterIds, IntAttribute(entry, "internal_layer_id"), entry);
                var external = IntAttribute(entry, "external_port_id");
                if ((string?)entry.Attribute("purpose") == "current_iteration")
                {
                    currentIteration = parameter;
                }
                else if (entry.Attribute("axis") is not null)
                {
                    inputs.Add(new SlicedBodyInput(external, parameter, Long(entry, "axis"), Long(entry, "start", 0), Long(entry, "stride", 1), Long(entry, "part_size", 1), Long(entry, "end", -1)));
                }
                else if (backEdgeByParameter.TryGetValue(IntAttribute(entry, "internal_layer_id"), out var resultLayer))
                {
                    inputs.Add(new MergedBodyInput(external, parameter, IndexOf(resultIds, resultLayer, entry)));
                }
                else
                {
                    inputs.Add(new BodyInput(external, parameter));
                }
            }

            foreach (var entry in portMap?.Elements("output") ?? [])
            {
                var result = IndexOf(resultIds, IntAttribute(entry, "internal_layer_id"), entry);
                if ((string?)entry.Attribute("purpose") == "execution_condition")
                {
                    executionCondition = result;
                    continue;
                }

                var outputIndex = IntAttribute(entry, "external_port_id") - inputCount;
                outputs.Add(entry.Attribute("axis") is not null
                    ? new ConcatBodyOutput(result, outputIndex, Long(entry, "axis"), Long(entry, "start", 0), Long(entry, "stride", 1), Long(entry, "part_size", 1), Long(entry, "end", -1))
                    : new BodyOutput(result, outputIndex));
            }

            return new Body(graph, inputs, outputs) { CurrentIterationParameter = currentIteration, ExecutionConditionResult = executionCondition };
        }

        private static bool IsType(XElement body, int index, string type) =>
            (string?)body.Element("layers")!.Elements("layer").ElementAt(index).Attribute("type") == type;

        private int IndexOf(List<int> ids, int id, XElement entry)
        {
            var index = ids.IndexOf(id);
            return index >= 0 ? index : throw Error($"the port map names layer {id}, which is not a body Parameter/Result", entry);
        }

        private static void ReadRuntimeInfo(XElement layer, Node node)
        {
            foreach (var attribute in layer.Element("rt_info")?.Elements("attribute") ?? [])
            {
                var values = attribute.Attributes()
                    .Where(a => a.Name != "name" && a.Name != "version")
                    .Select(a => new KeyValuePair<string, string>(a.Name.LocalName, a.Value))
                    .ToList();
                node.RuntimeInfo.Add(new RtInfoEntry((string?)attribute.Attribute("name") ?? "", (string?)attribute.Attribute("version") ?? "0", values));
            }
        }

        private static void ReadOutputNames(XElement layer, Node node)
        {
            var ports = layer.Element("output")?.Elements("port").ToList() ?? [];
            for (var i = 0; i < ports.Count && i < node.Outputs.Count; i++)
            {
                if ((string?)ports[i].Attribute("names") is { Length: > 0 } names)
                {
                    node.Outputs[i].Names.UnionWith(IrFormat.ParseNames(names));
                }
            }
        }

        private static Dictionary<(int, int), (int, int)> ReadEdges(XElement graph)
        {
            var edges = new Dictionary<(int, int), (int, int)>();
            foreach (var edge in graph.Element("edges")?.Elements("edge") ?? [])
            {
                edges[(IntAttribute(edge, "to-layer"), IntAttribute(edge, "to-port"))] = (IntAttribute(edge, "from-layer"), IntAttribute(edge, "from-port"));
            }

            return edges;
        }

        // Output ports are numbered after the input ports; an edge's from-port is the port id, not the output index.
        private static int OutputIndex(XElement layer, int portId)
        {
            var ports = layer.Element("output")?.Elements("port").ToList() ?? [];
            return ports.FindIndex(p => IntAttribute(p, "id") == portId);
        }

        private static int IntAttribute(XElement element, string name) =>
            int.Parse((string?)element.Attribute(name) ?? throw new FormatException($"<{element.Name}> lacks '{name}'."), CultureInfo.InvariantCulture);

        private static long Long(XElement element, string name, long? fallback = null) =>
            (string?)element.Attribute(name) is { } text ? long.Parse(text, CultureInfo.InvariantCulture)
            : fallback ?? throw new FormatException($"<{element.Name}> lacks '{name}'.");

        private static string StringAttribute(XElement element, string name) =>
            (string?)element.Attribute(name) ?? throw new FormatException($"<{element.Name}> lacks '{name}'.");

        private ModelBuildException Error(string message, XElement? layer) =>
            new(DiagnosticCode.MalformedIr, layer is null ? message : $"Layer {(string?)layer.Attribute("id")} ('{(string?)layer.Attribute("name")}'): {message}", xmlPath,
                (string?)layer?.Attribute("name"));
    }
}
