using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Inspection;

/// <summary>Summarizes a model file: an ONNX model (.onnx) or an OpenVINO IR (.xml).</summary>
public static class ModelInspector
{
    public static ModelSummary Inspect(string path)
    {
        using var files = new MappedFileSet();
        return Path.GetExtension(path).Equals(".xml", StringComparison.OrdinalIgnoreCase)
            ? InspectIr(path, files)
            : InspectOnnx(path, files);
    }

    private static ModelSummary InspectOnnx(string path, MappedFileSet files)
    {
        var model = OnnxModelReader.Read(path, files);
        var graph = model.Proto.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var parameterCount = graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
        var parameterBytes = graph.Initializer.Sum(t => OnnxTensors.ToPayload(t, model).Data.Length);
        var external = graph.Initializer
            .Where(t => t.DataLocation == TensorProto.Types.DataLocation.External)
            .Select(t => t.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "?")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<string>();
        CountNodes(graph.Node, histogram, lines, "");
        return new ModelSummary(
            model.Path,
            "ONNX",
            graph.Name,
            graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Describe).ToList(),
            graph.Output.Select(Describe).ToList(),
            model.Proto.OpsetImport.Select(o => new KeyValuePair<string, long>(o.Domain.Length == 0 ? "ai.onnx" : o.Domain, o.Version)).ToList(),
            histogram.ToList(),
            parameterCount,
            parameterBytes,
            external,
            lines,
            OpenVinoCompatibility.OfOnnx(model, sourceBytes: new FileInfo(model.Path).Length + parameterBytes));
    }

    private static void CountNodes(IEnumerable<NodeProto> nodes, SortedDictionary<string, int> histogram, List<string> lines, string indent)
    {
        foreach (var node in nodes)
        {
            var key = node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}";
            histogram[key] = histogram.GetValueOrDefault(key) + 1;
            lines.Add($"{indent}{key} '{node.Name}' ({string.Join(", ", node.Input)}) -> ({string.Join(", ", node.Output)})");
            foreach (var attribute in node.Attribute)
            {
                foreach (var graph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                {
                    CountNodes(graph.Node, histogram, lines, indent + "    ");
                }
            }
        }
    }

    private static TensorSummary Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null)
        {
            return new TensorSummary(value.Name, ElementType.Dynamic, PartialShape.DynamicRank);
        }

        var shape = tensor.Shape is null
            ? PartialShape.DynamicRank
            : PartialShape.Of(tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? Dimension.Of(d.DimValue) : Dimension.Dynamic));
        return new TensorSummary(value.Name, OnnxTensors.ToElementType(tensor.ElemType, value.Name), shape);
    }

    private static ModelSummary InspectIr(string path, MappedFileSet files)
    {
        var model = IrReader.Read(path, files);
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<string>();
        long parameterCount = 0;
        long parameterBytes = 0;
        var seenBlobs = new HashSet<(long, long)>();
        var versions = new HashSet<long>();
        Walk(model, "");
        return new ModelSummary(
            Path.GetFullPath(path),
            "OpenVINO IR v11",
            model.Name,
            model.Parameters.Select(p => new TensorSummary(p.Name ?? "", p.Outputs[0].Type, p.Outputs[0].Shape)).ToList(),
            model.Results.Select(r => new TensorSummary(string.Join(",", r.Input(0).Names), r.Input(0).Type, r.Input(0).Shape)).ToList(),
            versions.Order().Select(v => new KeyValuePair<string, long>("opset", v)).ToList(),
            histogram.ToList(),
            parameterCount,
            parameterBytes,
            [],
            lines,
            OpenVinoCompatibility.Of(model));

        void Walk(Model graph, string indent)
        {
            foreach (var node in graph.OrderedNodes())
            {
                var key = $"{node.Type}-{node.Op.OpsetName}";
                histogram[key] = histogram.GetValueOrDefault(key) + 1;
                versions.Add(node.Op.Version);
                var outputs = string.Join(", ", node.Outputs.Select(o => $"{o.Type.IrName()}{o.Shape.ToDisplayString()}"));
                lines.Add($"{indent}{key} '{node.Name}' -> {outputs}");
                if (node.Constant is { Data: MappedTensorData data } constant && seenBlobs.Add((data.Offset, data.Length)))
                {
                    parameterCount += constant.ElementCount;
                    parameterBytes += data.Length;
                }

                foreach (var body in node.Bodies)
                {
                    Walk(body.Graph, indent + "    ");
                }
            }
        }
    }
}
