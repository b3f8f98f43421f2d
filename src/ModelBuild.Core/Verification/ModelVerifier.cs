using System.Globalization;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Verification;

/// <summary>What <c>modelconvert verify MODEL.onnx</c> checks and with which inputs.</summary>
public sealed record ModelVerificationRequest
{
    /// <summary>The ONNX model: the reference runs it, and (without <see cref="IrPath"/>) it is converted.</summary>
    public required string OnnxPath { get; init; }

    /// <summary>An IR converted before (from <see cref="OnnxPath"/>) to check instead of converting the model now.</summary>
    public string? IrPath { get; init; }

    /// <summary><c>--input</c> entries: shapes for dynamic dims, frozen values (applied to the conversion too), types.</summary>
    public IReadOnlyList<InputOverride> Inputs { get; init; } = [];

    /// <summary>Folders of input files, one sample each; inputs they do not give are generated.</summary>
    public IReadOnlyList<string> InputFolders { get; init; } = [];

    /// <summary>The number of samples of generated inputs (when no folder is given).</summary>
    public int Samples { get; init; } = 1;

    public int Seed { get; init; }

    public Tolerance Tolerance { get; init; } = Tolerance.Default;

    /// <summary>Convert with FP16 weights (looser tolerances needed), as <c>--compress_to_fp16</c>.</summary>
    public bool CompressToFp16 { get; init; }
}

/// <summary>One output compared over every sample: the largest errors, and the first mismatch if any.</summary>
public sealed record OutputVerification(string Name, ElementType Type, long[] Shape, double MaxAbsoluteError, double MaxRelativeError, string? Mismatch)
{
    public bool Passed => Mismatch is null;
}

/// <summary>The verdict on one model: per output, and what was compared (the notes say which inputs were generated and how).</summary>
public sealed record ModelVerificationReport(
    string Reference, int Samples, IReadOnlyList<string> Notes, IReadOnlyList<OutputVerification> Outputs, string? Failure)
{
    public bool Passed => Failure is null && Outputs.All(o => o.Passed);
}

/// <summary>
/// Checks that a model's IR computes what the ONNX model computes: runs the ONNX model in a reference runtime
/// (<see cref="IOnnxRunner"/>: ONNX Runtime) and the IR in the reference evaluator on the same inputs — generated
/// from the inputs' types and shapes (<see cref="InputGenerator"/>, <see cref="IndexRangeAnalysis"/>) or read
/// from files (<see cref="InputFolder"/>) — and compares every output.
/// </summary>
public static class ModelVerifier
{
    /// <exception cref="ModelBuildException">
    /// The model does not convert or read (MB1xxx–MB3xxx), inputs cannot be generated (MB6001) or given files do not
    /// fit (MB6002), or the reference runtime cannot run the model (MB6003).
    /// </exception>
    public static ModelVerificationReport Verify(ModelVerificationRequest request, IOnnxRunner reference)
    {
        using var files = new MappedFileSet();
        var onnx = OnnxModelReader.Read(request.OnnxPath, files);
        var graph = onnx.Proto.Graph;
        var initialized = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var graphInputs = graph.Input.Where(i => !initialized.Contains(i.Name)).ToList();
        var notes = new List<string>();

        var work = request.IrPath is null ? Directory.CreateTempSubdirectory("modelbuild-verify-") : null;
        try
        {
            var xml = request.IrPath ?? Path.Combine(work!.FullName, Path.GetFileNameWithoutExtension(request.OnnxPath) + ".xml");
            Model ir;
            IReadOnlyList<InputOverride> overrides;
            if (request.IrPath is null)
            {
                overrides = request.Inputs;
                ModelConverter.Convert(new ConversionRequest
                {
                    InputPath = request.OnnxPath,
                    OutputXmlPath = xml,
                    CompressToFp16 = request.CompressToFp16,
                    Frontend = new FrontendOptions { Inputs = overrides },
                });
                ir = IrReader.Read(xml, files);
            }
            else
            {
                ir = IrReader.Read(xml, files);
                overrides = ConvertedWith(ir, request.Inputs, notes);
            }

            var plan = new InputPlan(onnx, graphInputs, overrides, ir, notes);
            using var session = LoadReference(reference, request.OnnxPath);
            using var irSession = ReferenceIrRunner.Instance.Load(xml);
            var outputNames = graph.Output.Select(o => o.Name).ToList();
            var comparisons = outputNames.ToDictionary(name => name, _ => new OutputTotals(), StringComparer.Ordinal);
            var samples = request.InputFolders.Count > 0 ? request.InputFolders.Count : Math.Max(1, request.Samples);
            for (var sample = 0; sample < samples; sample++)
            {
                var given = request.InputFolders.Count > 0 ? InputFolder.Read(request.InputFolders[sample], graphInputs.Select(i => i.Name).ToList()) : [];
                var inputs = plan.Values(given, new Random(unchecked(request.Seed + (sample * 7919))), sample == 0);
                var expected = RunReference(session, inputs, outputNames);
                IReadOnlyDictionary<string, Tensor> actual;
                try
                {
                    actual = irSession.RunByName(plan.IrInputs(inputs, irSession));
                }
                catch (IrRunException error)
                {
                    return new ModelVerificationReport(reference.Name, samples, notes, [], $"The IR failed to run (sample {sample}): {error.Message}");
                }

                foreach (var name in outputNames)
                {
                    comparisons[name].Add(sample, expected[name], actual.GetValueOrDefault(name), request.Tolerance);
                }
            }

            return new ModelVerificationReport(reference.Name, samples, notes, outputNames.Select(n => comparisons[n].Result(n)).ToList(), null);
        }
        finally
        {
            work?.Delete(recursive: true);
        }
    }

    // An IR converted before: the --input it was converted with (echoed in its rt_info) tells frozen values and pinned
    // shapes; the user's --input entries replace those of the same input.
    private static List<InputOverride> ConvertedWith(Model ir, IReadOnlyList<InputOverride> given, List<string> notes)
    {
        var echoed = ir.ConversionParameters.FirstOrDefault(p => p.Key == "input").Value;
        var fromIr = echoed is null ? [] : InputSpecParser.Parse(echoed).Where(o => o.Name is not null).ToList();
        if (fromIr.Count > 0)
        {
            notes.Add($"the IR was converted with --input \"{echoed}\"");
        }

        return [.. fromIr.Where(o => !given.Any(g => g.Name == o.Name)), .. given];
    }

    private static IOnnxSession LoadReference(IOnnxRunner reference, string path)
    {
        try
        {
            return reference.Load(path);
        }
        catch (OnnxRunException error)
        {
            throw new ModelBuildException(DiagnosticCode.ReferenceRuntimeFailed, $"{reference.Name} cannot run this model, so nothing was compared: {error.Message}", path);
        }
    }

    private static IReadOnlyDictionary<string, Tensor> RunReference(IOnnxSession session, Dictionary<string, Tensor> inputs, List<string> outputs)
    {
        try
        {
            return session.Run(inputs, outputs);
        }
        catch (OnnxRunException error)
        {
            throw new ModelBuildException(DiagnosticCode.ReferenceRuntimeFailed, $"The reference runtime failed on these inputs, so nothing was compared: {error.Message}");
        }
    }

    /// <summary>How each graph input gets its values: frozen, given in a file, or generated with a concrete shape.</summary>
    private sealed class InputPlan
    {
        private const string UnnamedBatch = "unnamed leading dimension";

        private readonly string _modelPath;
        private readonly List<(string Name, ElementType Type, Dimension[]? Declared, string?[] Symbols)> _inputs = [];
        private readonly Dictionary<string, Tensor> _frozen = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dimension[]> _pinned = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IntegerInputUse> _uses;
        private readonly List<string> _notes;

        public InputPlan(OnnxModel onnx, List<ValueInfoProto> graphInputs, IReadOnlyList<InputOverride> overrides, Model ir, List<string> notes)
        {
            _modelPath = onnx.Path;
            _notes = notes;
            var names = graphInputs.Select(i => i.Name).ToList();
            for (var i = 0; i < overrides.Count; i++)
            {
                var name = overrides[i].Name ?? (i < names.Count ? names[i] : null);
                if (name is null || !names.Contains(name))
                {
                    throw new ModelBuildException(DiagnosticCode.InvalidInputOverride,
                        $"verify compares whole models: --input names their inputs only ({string.Join(", ", names)}), not '{overrides[i]}'.", onnx.Path);
                }
            }

            foreach (var input in graphInputs)
            {
                var tensor = input.Type?.TensorType ?? throw new ModelBuildException(DiagnosticCode.VerificationInputUnknown,
                    $"Input '{input.Name}' is not a tensor; verify compares tensor inputs and outputs.", onnx.Path);
                var type = OnnxTensors.ToElementType(tensor.ElemType, input.Name);
                var declared = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? Dimension.Of(d.DimValue) : Dimension.Dynamic).ToArray();
                // An unnamed dynamic leading dim is taken for the batch, which every input shares (as in HugeCTR's and many exporters' models).
                var symbols = tensor.Shape?.Dim.Select((d, i) => d.ValueCase switch
                {
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
                    TensorShapeProto.Types.Dimension.ValueOneofCase.None when i == 0 => UnnamedBatch,
                    _ => null,
                }).ToArray() ?? [];
                _inputs.Add((input.Name, type, declared, symbols));
            }

            for (var i = 0; i < overrides.Count; i++)
            {
                var entry = overrides[i];
                var name = entry.Name ?? names[i];
                var declaredType = _inputs.First(x => x.Name == name).Type;
                if (entry.Value is not null)
                {
                    var declared = _inputs.First(x => x.Name == name).Declared;
                    _frozen[name] = entry.FrozenTensor(name, declaredType, declared is null ? PartialShape.DynamicRank : PartialShape.Of(declared), _modelPath);
                }
                else if (entry.Shape is { IsRankStatic: true } shape)
                {
                    _pinned[name] = shape.ToArray();
                }
            }

            // An IR's own parameter shapes pin what the ONNX model leaves dynamic (an IR converted with --input).
            foreach (var parameter in ir.Parameters)
            {
                var shape = parameter.Outputs[0].Shape;
                if (names.Contains(parameter.Name ?? "") && shape.IsRankStatic && !_pinned.ContainsKey(parameter.Name!))
                {
                    _pinned[parameter.Name!] = shape.ToArray();
                }
            }

            var integerInputs = _inputs.Where(i => i.Type.IsInteger() && !_frozen.ContainsKey(i.Name)).Select(i => i.Name).ToList();
            _uses = IndexRangeAnalysis.Analyze(onnx.Proto.Graph, integerInputs, name => StaticShape(onnx, name), name => ConstantValue(onnx, name));
        }

        /// <summary>Every graph input's value for one sample: frozen, given, or generated (noted once, on the first sample).</summary>
        public Dictionary<string, Tensor> Values(Dictionary<string, Tensor> given, Random random, bool note)
        {
            var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
            var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var input in _inputs)
            {
                if (_frozen.TryGetValue(input.Name, out var frozen))
                {
                    values[input.Name] = frozen;
                }
                else if (given.TryGetValue(input.Name, out var file))
                {
                    values[input.Name] = Checked(input.Name, input.Type, input.Declared, BackendTestData.AsLegacyBfloat16(file, input.Type));
                    Bind(input.Symbols, file.Shape, symbols);
                }
            }

            foreach (var input in _inputs.Where(i => !values.ContainsKey(i.Name)))
            {
                var dims = _pinned.GetValueOrDefault(input.Name) ?? input.Declared ?? throw new ModelBuildException(DiagnosticCode.VerificationInputUnknown,
                    $"Input '{input.Name}' has no declared shape; give it with --input \"{input.Name}[...]\" or give its values with --inputs.", _modelPath);
                var shape = new long[dims.Length];
                for (var d = 0; d < dims.Length; d++)
                {
                    var symbol = d < input.Symbols.Length ? input.Symbols[d] : null;
                    if (dims[d].IsStatic)
                    {
                        shape[d] = dims[d].Min;
                    }
                    else if (symbol is not null && symbols.TryGetValue(symbol, out var bound))
                    {
                        shape[d] = bound;
                    }
                    else
                    {
                        // A range pins its lower bound (at least 1); a dynamic dim becomes 1, as most tools do, and the user is told.
                        shape[d] = Math.Max(1, dims[d].Min);
                        if (note)
                        {
                            var named = symbol is null or UnnamedBatch ? "" : $" ('{symbol}')";
                            _notes.Add($"input '{input.Name}' dimension {d}{named} is dynamic: {shape[d]} used (set it with --input \"{input.Name}[...]\")");
                        }
                    }
                }

                Bind(input.Symbols, shape, symbols);
                var use = _uses.GetValueOrDefault(input.Name);
                values[input.Name] = InputGenerator.Generate(new GeneratedInput(input.Name, input.Type, shape, use), random, _modelPath);
                if (note)
                {
                    _notes.Add($"input '{input.Name}' generated: {input.Type.IrName()}{ShapeMath.Format(shape)}{Describe(use)}");
                }
            }

            return values;
        }

        /// <summary>The IR's inputs: frozen inputs are constants in it; a type an --input entry changed is converted to.</summary>
        public Dictionary<string, Tensor> IrInputs(Dictionary<string, Tensor> values, IIrSession session)
        {
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var port in session.Inputs)
            {
                var name = port.Names.FirstOrDefault(values.ContainsKey) ?? throw new ModelBuildException(DiagnosticCode.VerificationInputUnknown,
                    $"The IR has an input '{string.Join(",", port.Names)}' the ONNX model does not have.", _modelPath);
                result[name] = values[name].Type == port.Type ? values[name] : values[name].ConvertTo(port.Type);
            }

            return result;
        }

        private static string Describe(IntegerInputUse? use) => use switch
        {
            IntegerInputUse.Index index => $", indices in [0, {index.Limit}) for node '{index.Node}'",
            IntegerInputUse.Offsets offsets => $", offsets in [0, {offsets.Limit}] for node '{offsets.Node}'",
            IntegerInputUse.Free => ", in [1, 10]",
            _ => "",
        };

        private static void Bind(string?[] symbols, long[] shape, Dictionary<string, long> bound)
        {
            for (var d = 0; d < Math.Min(symbols.Length, shape.Length); d++)
            {
                if (symbols[d] is { } symbol)
                {
                    bound.TryAdd(symbol, shape[d]);
                }
            }
        }

        private Tensor Checked(string name, ElementType type, Dimension[]? declared, Tensor value)
        {
            if (value.Type != type)
            {
                throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid,
                    $"The file for input '{name}' holds {value.Type.IrName()} values; the input is {type.IrName()}.", _modelPath);
            }

            var pinned = _pinned.GetValueOrDefault(name) ?? declared;
            if (pinned is not null && (pinned.Length != value.Rank || pinned.Where((d, i) => d.IsStatic && d.Min != value.Shape[i]).Any()))
            {
                throw new ModelBuildException(DiagnosticCode.VerificationInputInvalid,
                    $"The file for input '{name}' has shape {ShapeMath.Format(value.Shape)}; the input is {PartialShape.Of(pinned).ToDisplayString()}.", _modelPath);
            }

            return value;
        }

        private static long[]? StaticShape(OnnxModel onnx, string name)
        {
            var graph = onnx.Proto.Graph;
            if (graph.Initializer.FirstOrDefault(i => i.Name == name) is { } initializer)
            {
                return initializer.Dims.ToArray();
            }

            if (graph.Node.FirstOrDefault(n => n.OpType == "Constant" && n.Output.Contains(name)) is { } constant
                && constant.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value })
            {
                return value.Dims.ToArray();
            }

            var info = graph.Input.Concat(graph.ValueInfo).Concat(graph.Output).FirstOrDefault(v => v.Name == name);
            var dims = info?.Type?.TensorType?.Shape?.Dim;
            return dims is not null && dims.All(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
                ? dims.Select(d => d.DimValue).ToArray()
                : null;
        }

        private static long[]? ConstantValue(OnnxModel onnx, string name)
        {
            var graph = onnx.Proto.Graph;
            var proto = graph.Initializer.FirstOrDefault(i => i.Name == name)
                ?? graph.Node.FirstOrDefault(n => n.OpType == "Constant" && n.Output.Contains(name))?.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
            var tensor = proto is null ? null : OnnxTensors.ToTensor(proto, onnx);
            return tensor is not null && tensor.Type.IsNumeric() && tensor.ElementCount <= 16 ? Array.ConvertAll(tensor.ToDoubleArray(), v => (long)v) : null;
        }
    }

    /// <summary>One output's errors over the samples so far.</summary>
    private sealed class OutputTotals
    {
        private double _absolute;
        private double _relative;
        private string? _mismatch;
        private Tensor? _first;

        public void Add(int sample, Tensor expected, Tensor? actual, Tolerance tolerance)
        {
            _first ??= expected;
            if (actual is null)
            {
                _mismatch ??= "the IR has no output of this name";
                return;
            }

            var comparison = TensorComparison.Compare(actual, expected, tolerance.Relative, tolerance.Absolute);
            if (!double.IsNaN(comparison.MaxAbsoluteError))
            {
                _absolute = Math.Max(_absolute, comparison.MaxAbsoluteError);
                _relative = Math.Max(_relative, comparison.MaxRelativeError);
            }

            if (!comparison.Matches)
            {
                _mismatch ??= string.Create(CultureInfo.InvariantCulture, $"sample {sample}: {comparison.Mismatch}");
            }
        }

        public OutputVerification Result(string name) =>
            new(name, _first?.Type ?? ElementType.Dynamic, _first?.Shape ?? [], _absolute, _relative, _mismatch);
    }
}
