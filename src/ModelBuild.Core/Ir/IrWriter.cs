using System.Globalization;
using System.Text;
using System.Xml;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Files;

namespace ModelBuild.Core.Ir;

/// <summary>Options of one IR write.</summary>
public sealed record IrWriteOptions
{
    /// <summary>The net-level <c>Runtime_version</c> string.</summary>
    public string RuntimeVersion { get; init; } = IrProvenance.RuntimeVersionPrefix + typeof(IrWriter).Assembly.GetName().Version?.ToString(3);

    /// <summary>Called after each payload is written with the total bytes of the .bin so far.</summary>
    public Action<long>? BytesWritten { get; init; }

    /// <summary>
    /// Called after each constant's payload is written (read whole, in order); returning true withdraws the
    /// constant: its bytes are taken back, the callback having rewired the graph away from it, and the constants
    /// the graph uses instead are written in turn. FP16 compression withdraws constants found out of f16's range.
    /// </summary>
    public Func<Node, bool>? WithdrawConstant { get; init; }
}

/// <summary>
/// Writes a model as OpenVINO IR v11: <c>.bin</c> first (constants streamed, deduplicated), then the
/// <c>.xml</c>. Both are <see cref="StagedFile"/>s renamed into place only when complete, so a failed or
/// killed conversion never leaves a half-written IR behind, and the next write of the same IR removes
/// what a killed one left. The same model gives the same bytes.
/// </summary>
public static class IrWriter
{
    public static void Write(Model model, string xmlPath, string binPath, IrWriteOptions? options = null)
    {
        options ??= new IrWriteOptions();
        IrText.Validate(model);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(xmlPath))!);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(binPath))!);

            // Writing replaces the previous IR: it goes first (the .xml before its .bin, so no .xml is ever
            // left pointing at a missing or foreign .bin). A failure from here on leaves no IR rather than a
            // stale one, the new files can take the old ones' disk blocks (measured: on a thin-provisioned
            // disk, writing 1 GiB beside the old output took 2-4x longer than over it), and peak disk use
            // stays one IR. Reading and translating are done by now, so a bad model never costs the old IR.
            // The old .bin is deleted, never written over in place: an application may still have it mapped
            // (OpenVINO maps weights), and a deleted file's bytes stay as they were for whoever holds it.
            File.Delete(xmlPath);
            File.Delete(binPath);
            var blobs = new Dictionary<Node, (long Offset, long Size)>(ReferenceEqualityComparer.Instance);
            using var bin = StagedFile.Create(binPath, bufferSize: 0);
            using (var writer = new BinWriter(bin.Stream))
            {
                while (WriteConstants(model, writer, blobs, options))
                {
                    // A constant was withdrawn: another pass writes the constants used in its place.
                }

                writer.Flush();
            }

            using var xml = StagedFile.Create(xmlPath);
            WriteXml(model, xml.Stream, blobs, options);

            bin.Commit();
            xml.Commit();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ModelBuildException(DiagnosticCode.OutputWriteFailed, $"Could not write the IR: {error.Message}", xmlPath);
        }
    }

    // Constants are written in layer order; a body's constants when its Loop/If is reached. Returns whether a
    // constant was withdrawn (the graph then changed).
    private static bool WriteConstants(Model model, BinWriter bin, Dictionary<Node, (long, long)> blobs, IrWriteOptions options)
    {
        var withdrawn = false;
        foreach (var node in model.OrderedNodes())
        {
            if (node.Constant is { } payload && !blobs.ContainsKey(node))
            {
                var blob = bin.Write(payload.Data);
                if (options.WithdrawConstant?.Invoke(node) == true)
                {
                    bin.WithdrawLast();
                    withdrawn = true;
                }
                else
                {
                    blobs[node] = blob;
                }

                options.BytesWritten?.Invoke(bin.Length);
            }

            foreach (var body in node.Bodies)
            {
                withdrawn |= WriteConstants(body.Graph, bin, blobs, options);
            }
        }

        return withdrawn;
    }

    private static void WriteXml(Model model, Stream stream, Dictionary<Node, (long Offset, long Size)> blobs, IrWriteOptions options)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "\t",
            NewLineChars = "\n",
            OmitXmlDeclaration = true,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            // Control characters in names become character references, which OpenVINO reads back (see IrText).
            CheckCharacters = false,
        };
        using var writer = XmlWriter.Create(stream, settings);
        writer.WriteRaw("<?xml version=\"1.0\"?>\n");
        writer.WriteStartElement("net");
        writer.WriteAttributeString("name", model.Name);
        writer.WriteAttributeString("version", "11");
        new GraphWriter(writer, blobs).WriteGraph(model);
        WriteNetRuntimeInfo(writer, model, options);
        writer.WriteEndElement();
    }

    private static void WriteNetRuntimeInfo(XmlWriter writer, Model model, IrWriteOptions options)
    {
        writer.WriteStartElement("rt_info");
        writer.WriteStartElement("Runtime_version");
        writer.WriteAttributeString("value", options.RuntimeVersion);
        writer.WriteEndElement();
        if (model.ConversionParameters.Count > 0)
        {
            writer.WriteStartElement("conversion_parameters");
            foreach (var (key, value) in model.ConversionParameters)
            {
                if (IsXmlName(key))
                {
                    writer.WriteStartElement(key);
                }
                else
                {
                    writer.WriteStartElement("info");
                    writer.WriteAttributeString("name", key);
                }

                writer.WriteAttributeString("value", value);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static bool IsXmlName(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !key.StartsWith("xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes one graph (the net, or a body): layers, then edges. Layer ids and names are local to it.</summary>
    private sealed class GraphWriter(XmlWriter writer, Dictionary<Node, (long Offset, long Size)> blobs)
    {
        private readonly Dictionary<Node, int> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Node, string> _names = new(ReferenceEqualityComparer.Instance);

        public void WriteGraph(Model model)
        {
            var nodes = model.OrderedNodes();
            for (var i = 0; i < nodes.Count; i++)
            {
                _ids[nodes[i]] = i;
            }

            AssignNames(nodes);
            writer.WriteStartElement("layers");
            foreach (var node in nodes)
            {
                WriteLayer(node);
            }

            writer.WriteEndElement();
            writer.WriteStartElement("edges");
            foreach (var (from, fromPort, to, toPort) in Edges(nodes))
            {
                writer.WriteStartElement("edge");
                writer.WriteAttributeString("from-layer", Text(from));
                writer.WriteAttributeString("from-port", Text(fromPort));
                writer.WriteAttributeString("to-layer", Text(to));
                writer.WriteAttributeString("to-port", Text(toPort));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        // Unnamed nodes are named after their type and id; clashing names get a numeric suffix. The next
        // suffix to try is kept per name, so a model of many equal names is named in linear time.
        private void AssignNames(List<Node> nodes)
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                var name = node.Name ?? $"{node.Type}_{_ids[node]}";
                var unique = name;
                var n = nextSuffix.GetValueOrDefault(name, 1);
                while (!taken.Add(unique))
                {
                    unique = $"{name}_{n++}";
                }

                nextSuffix[name] = n;
                _names[node] = unique;
            }
        }

        private IEnumerable<(int From, int FromPort, int To, int ToPort)> Edges(List<Node> nodes) =>
            nodes.SelectMany(node => node.Inputs.Select((input, port) =>
                    (From: _ids[input.Node], FromPort: input.Node.Inputs.Count + input.Index, To: _ids[node], ToPort: port)))
                .OrderBy(e => e.From).ThenBy(e => e.FromPort).ThenBy(e => e.To).ThenBy(e => e.ToPort);

        private void WriteLayer(Node node)
        {
            writer.WriteStartElement("layer");
            writer.WriteAttributeString("id", Text(_ids[node]));
            writer.WriteAttributeString("name", _names[node]);
            writer.WriteAttributeString("type", node.Type);
            writer.WriteAttributeString("version", node.Op.OpsetName);
            WriteData(node);
            WriteRuntimeInfo(node.RuntimeInfo);
            WriteBodyPortMaps(node);
            WritePorts(node);
            WriteBodies(node);
            writer.WriteEndElement();
        }

        private void WriteData(Node node)
        {
            var specs = node.Op.AttributeSpecs;
            if (specs.Count == 0 && node.Constant is null)
            {
                return;
            }

            writer.WriteStartElement("data");
            foreach (var spec in specs)
            {
                writer.WriteAttributeString(spec.Name, IrFormat.FormatAttribute(spec.Kind, node.Attributes.Values[spec.Name]));
            }

            if (node.Constant is not null)
            {
                var (offset, size) = blobs[node];
                writer.WriteAttributeString("offset", Text(offset));
                writer.WriteAttributeString("size", Text(size));
            }

            writer.WriteEndElement();
        }

        private void WriteRuntimeInfo(List<RtInfoEntry> entries)
        {
            if (entries.Count == 0)
            {
                return;
            }

            writer.WriteStartElement("rt_info");
            foreach (var entry in entries)
            {
                writer.WriteStartElement("attribute");
                writer.WriteAttributeString("name", entry.Name);
                writer.WriteAttributeString("version", entry.Version);
                foreach (var (key, value) in entry.Values)
                {
                    writer.WriteAttributeString(key, value);
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        private void WritePorts(Node node)
        {
            if (node.Inputs.Count > 0)
            {
                writer.WriteStartElement("input");
                for (var i = 0; i < node.Inputs.Count; i++)
                {
                    WritePort(i, node.Inputs[i].Type, node.Inputs[i].Shape, null);
                }

                writer.WriteEndElement();
            }

            if (node.Op is ResultOp || node.Outputs.Count == 0)
            {
                return;
            }

            writer.WriteStartElement("output");
            for (var i = 0; i < node.Outputs.Count; i++)
            {
                var port = node.Outputs[i];
                WritePort(node.Inputs.Count + i, port.Type, port.Shape, port.Names);
            }

            writer.WriteEndElement();
        }

        private void WritePort(int id, ElementType type, PartialShape shape, IReadOnlyCollection<string>? names)
        {
            writer.WriteStartElement("port");
            writer.WriteAttributeString("id", Text(id));
            writer.WriteAttributeString("precision", type.Precision());
            if (names is { Count: > 0 })
            {
                writer.WriteAttributeString("names", IrFormat.FormatNames(names));
            }

            foreach (var dim in IrFormat.PortDims(shape))
            {
                writer.WriteElementString("dim", Text(dim));
            }

            writer.WriteEndElement();
        }

        // Loop/TensorIterator: port_map + back_edges; If: then_port_map + else_port_map. Bodies are written after the ports.
        private void WriteBodyPortMaps(Node node)
        {
            if (node.Bodies.Count == 0)
            {
                return;
            }

            var bodyIds = node.Bodies.Select(BodyLayerIds).ToList();
            var twoBranches = node.Bodies.Count == 2;
            for (var b = 0; b < node.Bodies.Count; b++)
            {
                var body = node.Bodies[b];
                var ids = bodyIds[b];
                writer.WriteStartElement(twoBranches ? (b == 0 ? "then_port_map" : "else_port_map") : "port_map");
                foreach (var input in body.Inputs)
                {
                    WritePortMapEntry("input", input.ExternalPort, ids[body.Graph.Parameters[input.Parameter]], null,
                        input is SlicedBodyInput sliced ? (sliced.Axis, sliced.Start, sliced.End, sliced.Stride, sliced.PartSize) : null);
                }

                if (body.CurrentIterationParameter is { } iteration)
                {
                    WritePortMapEntry("input", -1, ids[body.Graph.Parameters[iteration]], "current_iteration", null);
                }

                foreach (var output in body.Outputs)
                {
                    WritePortMapEntry("output", node.Inputs.Count + output.OutputIndex, ids[body.Graph.Results[output.Result]], null,
                        output is ConcatBodyOutput concat ? (concat.Axis, concat.Start, concat.End, concat.Stride, concat.PartSize) : null);
                }

                if (body.ExecutionConditionResult is { } condition)
                {
                    WritePortMapEntry("output", -1, ids[body.Graph.Results[condition]], "execution_condition", null);
                }

                writer.WriteEndElement();
            }

            if (!twoBranches)
            {
                var body = node.Bodies[0];
                writer.WriteStartElement("back_edges");
                foreach (var merged in body.Inputs.OfType<MergedBodyInput>())
                {
                    writer.WriteStartElement("edge");
                    writer.WriteAttributeString("from-layer", Text(bodyIds[0][body.Graph.Results[merged.Result]]));
                    writer.WriteAttributeString("to-layer", Text(bodyIds[0][body.Graph.Parameters[merged.Parameter]]));
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }
        }

        // One port_map entry: outer port (-1 for a special port) ↔ body layer, with its purpose or slicing.
        private void WritePortMapEntry(string kind, long externalPort, int layer, string? purpose, (long Axis, long Start, long End, long Stride, long PartSize)? slicing)
        {
            writer.WriteStartElement(kind);
            writer.WriteAttributeString("external_port_id", Text(externalPort));
            writer.WriteAttributeString("internal_layer_id", Text(layer));
            if (purpose is not null)
            {
                writer.WriteAttributeString("purpose", purpose);
            }

            if (slicing is { } s)
            {
                writer.WriteAttributeString("axis", Text(s.Axis));
                writer.WriteAttributeString("start", Text(s.Start));
                writer.WriteAttributeString("end", Text(s.End));
                writer.WriteAttributeString("stride", Text(s.Stride));
                writer.WriteAttributeString("part_size", Text(s.PartSize));
            }

            writer.WriteEndElement();
        }

        private void WriteBodies(Node node)
        {
            for (var b = 0; b < node.Bodies.Count; b++)
            {
                writer.WriteStartElement(node.Bodies.Count == 2 ? (b == 0 ? "then_body" : "else_body") : "body");
                new GraphWriter(writer, blobs).WriteGraph(node.Bodies[b].Graph);
                writer.WriteEndElement();
            }
        }

        // Body layer ids are the positions in the body's own node order, as the body's GraphWriter assigns them.
        private static Dictionary<Node, int> BodyLayerIds(Body body)
        {
            var nodes = body.Graph.OrderedNodes();
            var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < nodes.Count; i++)
            {
                ids[nodes[i]] = i;
            }

            return ids;
        }

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
