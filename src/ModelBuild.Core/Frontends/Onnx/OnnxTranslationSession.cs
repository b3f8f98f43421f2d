using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Ops;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// Translates one loaded ONNX model: graph inputs become Parameters (with the user's overrides),
/// initializers become Consts, every node goes through its translator from <see cref="OnnxOpTable"/>,
/// and the graph outputs (or the requested cut) become Results.
/// </summary>
internal sealed class OnnxTranslationSession
{
    private readonly FrontendOptions _options;
    private readonly Dictionary<(string Domain, string Name), FunctionProto> _functions;
    private readonly Dictionary<string, InputOverride> _cutOverrides = new(StringComparer.Ordinal);
    private readonly List<Node> _cutParameters = [];
    private readonly HashSet<FunctionProto> _inlining = new(ReferenceEqualityComparer.Instance);
    private Dictionary<string, int> _inputOrder = [];

    public OnnxTranslationSession(OnnxModel model, FrontendOptions options, ICollection<ModelBuildException> warnings, EvaluationBudget budget)
    {
        Model = model;
        Builder = new GraphBuilder(budget);
        _options = options;
        Warnings = warnings;
        _functions = [];
        foreach (var function in model.Proto.Functions)
        {
            if (!_functions.TryAdd((OnnxDomains.Normalize(function.Domain), function.Name), function))
            {
                throw new ModelBuildException(DiagnosticCode.InvalidGraph, $"The function '{function.Domain}.{function.Name}' is defined twice.", model.Path);
            }
        }
    }

    public OnnxModel Model { get; }

    public GraphBuilder Builder { get; }

    public ICollection<ModelBuildException> Warnings { get; }

    public Model TranslateMain()
    {
        var graph = Model.Proto.Graph;
        CheckOpsets();
        CheckSupported();
        var scope = new TranslationScope();
        DefineInitializers(graph, scope);

        var parameters = CreateParameters(graph, scope);
        TranslateNodes(graph.Node, scope);
        var results = CreateResults(graph, scope);

        // Inputs the user listed come first, in the listed order; the others keep theirs.
        parameters = parameters.Concat(_cutParameters)
            .OrderBy(p => _inputOrder.TryGetValue(p.Name!, out var rank) ? rank : int.MaxValue)
            .ToList();
        return new Model(graph.Name.Length > 0 ? graph.Name : Path.GetFileNameWithoutExtension(Model.Path), parameters, results);
    }

    public SubgraphTranslation TranslateSubgraph(GraphProto graph, IReadOnlyList<SubgraphInput> inputs, TranslationScope parent)
    {
        var scope = new TranslationScope(parent, isSubgraph: true);
        DefineInitializers(graph, scope);
        var parameters = new List<Node>();
        for (var i = 0; i < graph.Input.Count; i++)
        {
            var input = graph.Input[i];
            var declared = i < inputs.Count ? inputs[i] : null;
            var (type, shape) = declared is null ? DeclaredType(input) : (declared.Type, declared.Shape);
            var parameter = Node.CreateParameter(type, shape, input.Name);
            parameters.Add(parameter);
            scope.Define(input.Name, declared?.Adapt?.Invoke(parameter.Output()) ?? parameter.Output());
        }

        TranslateNodes(graph.Node, scope);
        var results = graph.Output.Select(o => Node.CreateResult(ResolveTensor(scope, o.Name, "subgraph output"))).ToList();
        parameters.AddRange(scope.CaptureParameters);
        return new SubgraphTranslation(new Model(graph.Name, parameters, results), scope.Captures);
    }

    public IReadOnlyList<OnnxValue> TranslateInline(GraphProto graph, IReadOnlyList<OnnxValue> inputs, TranslationScope parent)
    {
        if (inputs.Count != graph.Input.Count)
        {
            throw new ModelBuildException(DiagnosticCode.InvalidGraph, $"The graph '{graph.Name}' has {graph.Input.Count} inputs, {inputs.Count} values were given.", Model.Path);
        }

        var scope = new TranslationScope(parent);
        DefineInitializers(graph, scope);
        for (var i = 0; i < inputs.Count; i++)
        {
            scope.Define(graph.Input[i].Name, inputs[i]);
        }

        TranslateNodes(graph.Node, scope);
        return graph.Output.Select(o => ResolveValue(scope, o.Name, "subgraph output")).ToArray();
    }

    private void TranslateNodes(IEnumerable<NodeProto> nodes, TranslationScope scope)
    {
        foreach (var node in nodes)
        {
            var domain = OnnxDomains.Normalize(node.Domain);
            if (_functions.TryGetValue((domain, node.OpType), out var function))
            {
                InlineFunction(node, function, scope);
                continue;
            }

            var opset = Model.OpsetVersion(domain) ?? 1;
            var translator = OnnxOpTable.Find(domain, node.OpType, opset)!;
            var context = new OnnxNodeContext(node, scope, this);
            IReadOnlyList<Output> outputs;
            try
            {
                outputs = translator(context);
            }
            catch (InferenceException error)
            {
                throw new ModelBuildException(DiagnosticCode.ShapeInferenceFailed, $"{node.OpType}: {error.Message}", Model.Path, context.Name);
            }
            catch (ModelBuildException error)
            {
                throw error.WithFile(Model.Path).WithNode(context.Name);
            }
            catch (Exception error) when (error is ArgumentException or IndexOutOfRangeException or InvalidOperationException
                or KeyNotFoundException or OverflowException or InvalidCastException or NotSupportedException or FormatException)
            {
                // A value the translator did not expect (an attribute out of range, an odd tensor): report it
                // against the node like any other translation error, with the detail that locates the problem.
                throw new ModelBuildException(DiagnosticCode.TranslationFailed,
                    $"{node.OpType}: cannot be translated ({error.GetType().Name}: {error.Message}).", Model.Path, context.Name, error);
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i].Length == 0)
                {
                    continue;
                }

                // An output the translator does not produce is an error only where something uses it.
                var value = context.BoundOutputs.GetValueOrDefault(i)
                    ?? (i < outputs.Count ? new OnnxTensor(outputs[i]) : new OnnxUnavailable($"output {i} of {node.OpType} '{context.Name}' is not supported by this conversion"));
                Bind(scope, node.Output[i], value, node);
            }
        }
    }

    // A call of a model-local function is replaced by the function's nodes, with formal names bound to the actual ones.
    private void InlineFunction(NodeProto call, FunctionProto function, TranslationScope scope)
    {
        if (!_inlining.Add(function))
        {
            throw RecursiveFunction(function);
        }

        var prefix = $"{(call.Name.Length > 0 ? call.Name : call.Output.FirstOrDefault() ?? function.Name)}/";
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < function.Input.Count; i++)
        {
            renames[function.Input[i]] = i < call.Input.Count ? call.Input[i] : "";
        }

        for (var i = 0; i < function.Output.Count && i < call.Output.Count; i++)
        {
            renames[function.Output[i]] = call.Output[i];
        }

        var callAttributes = call.Attribute.ToDictionary(a => a.Name);
        var defaults = function.AttributeProto.ToDictionary(a => a.Name);
        var body = new List<NodeProto>();
        foreach (var template in function.Node)
        {
            var node = template.Clone();
            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = Rename(node.Input[i]);
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                node.Output[i] = Rename(node.Output[i]);
            }

            var attributes = node.Attribute.ToList();
            node.Attribute.Clear();
            foreach (var attribute in attributes)
            {
                if (attribute.RefAttrName.Length == 0)
                {
                    node.Attribute.Add(attribute);
                }
                else if ((callAttributes.GetValueOrDefault(attribute.RefAttrName) ?? defaults.GetValueOrDefault(attribute.RefAttrName)) is { } actual)
                {
                    var bound = actual.Clone();
                    bound.Name = attribute.Name;
                    node.Attribute.Add(bound);
                }
            }

            body.Add(node);
        }

        TranslateNodes(body, scope);
        _inlining.Remove(function);

        string Rename(string name) =>
            name.Length == 0 ? name : renames.TryGetValue(name, out var actual) ? actual : renames[name] = prefix + name;
    }

    private void Bind(TranslationScope scope, string name, OnnxValue value, NodeProto producer)
    {
        if (value is OnnxTensor tensor)
        {
            Bind(scope, name, tensor.Value, producer);
        }
        else
        {
            scope.Define(name, value);
        }
    }

    private void Bind(TranslationScope scope, string name, Output value, NodeProto producer)
    {
        if (_cutOverrides.Remove(name, out var cut))
        {
            // The user made this inner tensor an input (or froze it): everything that computed it is cut away.
            if (cut.Value is not null)
            {
                scope.Define(name, FrozenValue(name, cut, value.Type, value.Shape));
                return;
            }

            var parameter = Node.CreateParameter(cut.Type ?? value.Type, cut.Shape ?? value.Shape, name);
            _cutParameters.Add(parameter);
            value = parameter.Output();
        }

        value.Names.Add(name);
        value.Node.Name ??= name;
        scope.Define(name, value);
        scope.DefineProducer(name, producer);
    }

    private void DefineInitializers(GraphProto graph, TranslationScope scope)
    {
        foreach (var initializer in graph.Initializer)
        {
            scope.Define(initializer.Name, CreateConstant(initializer));
        }
    }

    private Output CreateConstant(TensorProto initializer)
    {
        var constant = Node.CreateConstant(OnnxTensors.ToPayload(initializer, Model));
        constant.Name = initializer.Name;
        constant.Outputs[0].Names.Add(initializer.Name);
        return constant.Output();
    }

    private List<Node> CreateParameters(GraphProto graph, TranslationScope scope)
    {
        var graphInputs = graph.Input.Where(i => !scope.DefinesLocally(i.Name)).ToList();
        var overrides = InputOverrides.Match(_options.Inputs, graphInputs.Select(i => i.Name).ToList(), Model.Path);
        foreach (var (name, value) in overrides.Cuts)
        {
            _cutOverrides[name] = value;
        }

        _inputOrder = overrides.Order;

        var parameters = new List<Node>();
        foreach (var input in graphInputs)
        {
            var (type, shape) = DeclaredType(input);
            var spec = overrides.ForInput.GetValueOrDefault(input.Name);
            if (spec?.Value is not null)
            {
                if (!IsConsumed(graph, input.Name))
                {
                    Warnings.Add(new ModelBuildException(DiagnosticCode.InputOverrideMatchesNothing,
                        $"Input '{input.Name}' is frozen, but nothing in the model uses it: the override has no effect.", Model.Path));
                }

                scope.Define(input.Name, FrozenValue(input.Name, spec, type, shape));
                continue;
            }

            var parameter = Node.CreateParameter(spec?.Type ?? type, spec?.Shape ?? shape, input.Name);
            parameters.Add(parameter);
            scope.Define(input.Name, parameter.Output());
        }

        return parameters;
    }

    // Subgraph bodies (If, Loop, Scan) may use an outer value without declaring it, so they are searched too.
    private static bool IsConsumed(GraphProto graph, string name) =>
        graph.Output.Any(output => output.Name == name)
        || graph.Node.Any(node => node.Input.Contains(name)
            || node.Attribute.Any(attribute => (attribute.G is { } body && IsConsumed(body, name)) || attribute.Graphs.Any(body => IsConsumed(body, name))));

    private Output FrozenValue(string name, InputOverride spec, ElementType declaredType, PartialShape declaredShape)
    {
        var constant = Node.CreateConstant(spec.FrozenTensor(name, declaredType, declaredShape, Model.Path));
        constant.Name = name;
        constant.Outputs[0].Names.Add(name);
        return constant.Output();
    }

    private List<Node> CreateResults(GraphProto graph, TranslationScope scope)
    {
        if (_cutOverrides.Count > 0)
        {
            throw new ModelBuildException(DiagnosticCode.UnknownInputName,
                $"No tensor is named {string.Join(", ", _cutOverrides.Keys.Select(k => $"'{k}'"))}. The model's inputs are: {string.Join(", ", graph.Input.Select(i => i.Name))}.", Model.Path);
        }

        var names = _options.Outputs.Count > 0 ? _options.Outputs : graph.Output.Select(o => o.Name).ToList();
        var results = new List<Node>();
        foreach (var name in names)
        {
            var value = scope.Resolve(name) switch
            {
                null => throw new ModelBuildException(DiagnosticCode.UnknownOutputName,
                    $"No tensor is named '{name}'. The model's outputs are: {string.Join(", ", graph.Output.Select(o => o.Name))}.", Model.Path),
                OnnxTensor tensor => tensor.Value,
                OnnxUnavailable unavailable => throw new ModelBuildException(DiagnosticCode.TranslationFailed, $"The output '{name}' cannot be produced: {unavailable.Reason}.", Model.Path),
                var other => throw new ModelBuildException(DiagnosticCode.UnsupportedElementType,
                    $"The output '{name}' is {other.Kind}; OpenVINO models have tensor outputs only.", Model.Path),
            };
            value.Names.Add(name);
            var result = Node.CreateResult(value);
            result.Name = $"{name}/sink_port_0";
            results.Add(result);
        }

        return results;
    }

    private (ElementType Type, PartialShape Shape) DeclaredType(ValueInfoProto input)
    {
        var type = input.Type;
        if (type?.TensorType is null)
        {
            var kind = type?.ValueCase switch
            {
                null => "untyped",
                TypeProto.ValueOneofCase.SequenceType => "a sequence",
                TypeProto.ValueOneofCase.OptionalType => "an optional",
                var other => other.ToString(),
            };
            throw new ModelBuildException(DiagnosticCode.UnsupportedElementType,
                $"Input '{input.Name}' is {kind}; OpenVINO models take tensor inputs only.", Model.Path);
        }

        var elementType = OnnxTensors.ToElementType(type.TensorType.ElemType, input.Name);
        if (type.TensorType.Shape is null)
        {
            return (elementType, PartialShape.DynamicRank);
        }

        if (type.TensorType.Shape.Dim.Count > EvaluationBudget.DeclaredRankLimit)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel,
                $"Input '{input.Name}' has rank {type.TensorType.Shape.Dim.Count}; ModelBuild converts tensors of rank up to {EvaluationBudget.DeclaredRankLimit}.", Model.Path);
        }

        var dims = type.TensorType.Shape.Dim.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0 ? Dimension.Of(d.DimValue) : Dimension.Dynamic);
        return (elementType, PartialShape.Of(dims));
    }

    private OnnxValue ResolveValue(TranslationScope scope, string name, string what) => scope.Resolve(name) switch
    {
        null => throw new ModelBuildException(DiagnosticCode.InvalidGraph, $"The {what} '{name}' is not produced by any node.", Model.Path),
        OnnxUnavailable unavailable => throw new ModelBuildException(DiagnosticCode.TranslationFailed, $"The {what} '{name}' cannot be produced: {unavailable.Reason}.", Model.Path),
        var value => value,
    };

    private Output ResolveTensor(TranslationScope scope, string name, string what) => ResolveValue(scope, name, what) switch
    {
        OnnxTensor tensor => tensor.Value,
        var other => throw new ModelBuildException(DiagnosticCode.TranslationFailed,
            $"The {what} '{name}' is {other.Kind}; a Loop, Scan or If body can only pass tensors to OpenVINO's Loop, TensorIterator and If.", Model.Path),
    };

    // The default domain must be imported at a known opset when the model uses it; a model made only of
    // other domains' ops (training, custom) is then judged op by op in CheckSupported.
    private void CheckOpsets()
    {
        var version = Model.OpsetVersion(OnnxDomains.Default);
        if (version is null && !UsesDefaultDomain(Model.Proto.Graph.Node))
        {
            return;
        }

        if (version is null or < 1 or > OnnxOpTable.NewestDefaultOpset)
        {
            throw new ModelBuildException(DiagnosticCode.UnsupportedOpset,
                $"The model imports default-domain opset {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; ModelBuild converts opsets 1 to {OnnxOpTable.NewestDefaultOpset}.", Model.Path);
        }

        static bool UsesDefaultDomain(IEnumerable<NodeProto> nodes) =>
            nodes.Any(n => OnnxDomains.Normalize(n.Domain) == OnnxDomains.Default
                || n.Attribute.Any(a => (a.G is not null && UsesDefaultDomain(a.G.Node)) || a.Graphs.Any(g => UsesDefaultDomain(g.Node))));
    }

    private ModelBuildException RecursiveFunction(FunctionProto function) =>
        new(DiagnosticCode.InvalidGraph, $"The function '{function.Domain}.{function.Name}' calls itself (directly or through other functions); ONNX functions cannot recurse.", Model.Path);

    // Every unsupported op of the whole model (subgraphs included) is reported at once, with its nodes.
    private void CheckSupported()
    {
        var missing = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var visiting = new HashSet<FunctionProto>(ReferenceEqualityComparer.Instance);
        Visit(Model.Proto.Graph.Node);
        if (missing.Count > 0)
        {
            var list = string.Join("; ", missing.Select(m => $"{m.Key} (nodes: {string.Join(", ", m.Value.Take(10))}{(m.Value.Count > 10 ? $", and {m.Value.Count - 10} more" : "")})"));
            throw new ModelBuildException(DiagnosticCode.UnsupportedOperators, $"The model uses operators ModelBuild cannot convert: {list}.", Model.Path);
        }

        void Visit(IEnumerable<NodeProto> nodes)
        {
            foreach (var node in nodes)
            {
                var domain = OnnxDomains.Normalize(node.Domain);
                if (_functions.TryGetValue((domain, node.OpType), out var function))
                {
                    if (!visiting.Add(function))
                    {
                        throw RecursiveFunction(function);
                    }

                    Visit(function.Node);
                    visiting.Remove(function);
                }
                else if (OnnxOpTable.Find(domain, node.OpType, Model.OpsetVersion(domain) ?? 1) is null)
                {
                    var key = domain.Length == 0 ? node.OpType : $"{domain}.{node.OpType}";
                    if (!missing.TryGetValue(key, out var names))
                    {
                        missing[key] = names = [];
                    }

                    names.Add(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?");
                }

                foreach (var attribute in node.Attribute)
                {
                    if (attribute.G is not null)
                    {
                        Visit(attribute.G.Node);
                    }

                    foreach (var graph in attribute.Graphs)
                    {
                        Visit(graph.Node);
                    }
                }
            }
        }
    }
}
