using System.CommandLine;
using System.Diagnostics;
using ModelBuild.Core.Conversion;

namespace ModelBuild.Tool;

/// <summary>The root command: converts a model with ovc's option names and meanings.</summary>
public static class ConvertCommand
{
    public const string Summary = "Converts ONNX models to OpenVINO IR v11 (.xml + .bin), like ovc, without Python.";

    private const string Help = """


        Examples:
          modelconvert model.onnx                                   writes ./model.xml and ./model.bin (FP16 weights)
          modelconvert model.onnx --output_model ir/ --compress_to_fp16=False
          modelconvert encoder.onnx --input "input.1[157 1 240],1->157"
          modelconvert model.onnx --input "ids{i32}[1,?],mask[1,1..512]" --output logits
          modelconvert model.onnx --target_openvino 2022.3               IR that OpenVINO 2022.3 (LTS) loads
          modelconvert --input_model encoder.onnx --input "input.1[157 1 240],1->157"    Model Optimizer's spelling works too

        Other commands (each has --help):
          modelconvert verify MODEL       convert, run the IR and ONNX Runtime on the same inputs, compare
          modelconvert verify DIR...      convert, run and compare with ONNX backend-test data
          modelconvert inspect MODEL      inputs, outputs, opsets, operators, parameters of an .onnx or .xml
          modelconvert hugectr ...        HugeCTR model (graph config, dense and sparse files) to ONNX or IR
          modelconvert explain MBnnnn     what an error code means and what to do

        Exit codes: 0 success, 1 conversion error, 2 usage error (verify: 3, ONNX Runtime cannot run the model). Errors carry a code MBnnnn (modelconvert explain MBnnnn).
        """;

    public static RootCommand Create()
    {
        var input = new Argument<FileInfo?>("INPUT_MODEL")
        {
            Description = "The model to convert: an ONNX file (.onnx). External data files are found beside it. (mo's --input_model works too.)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var outputModel = new Option<string?>("--output_model")
        {
            Description = "Where to write the IR: an .xml path (\".xml\" is added if missing; the .bin goes beside it) or an existing folder. Default: the input's name in the current folder.",
        };
        var inputs = new Option<string[]>("--input")
        {
            Description = "Inputs to override, comma-separated or repeated: name, name[shape], [shape] (by position), name{type}, name->value. "
                + "Shapes: [1,3,224,224] or [1 3 224 224]; dims may be -1 or ? (dynamic) or ranges 1..10. Types: {f32}, {i64}, ... "
                + "Frozen values: name->157, name{i64}[2]->[1 2]. A name that is not a model input cuts the model there.",
            AllowMultipleArgumentsPerToken = false,
        };
        var outputs = new Option<string[]>("--output")
        {
            Description = "Tensor names to make the model outputs (comma-separated or repeated); the rest of the model is cut away.",
        };
        var compress = new Option<bool>("--compress_to_fp16")
        {
            Description = "Store float weights as FP16 (true, the default, as ovc) or keep their precision (false).",
            DefaultValueFactory = _ => true,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var target = new Option<string?>("--target_openvino")
        {
            Description = "The OpenVINO release the IR must load in, e.g. 2022.1, 2023.3, 2024.6.0 (default: the newest ModelBuild knows). "
                + "Op versions it lacks are written as older versions or exact decompositions; a node with neither is an error.",
        };
        var legacy = new LegacyMoOptions();
        input.Validators.Add(result =>
        {
            // An unknown option would otherwise be taken for the model's file name.
            if (result.Tokens.Count > 0 && result.Tokens[0].Value is var token && token.StartsWith('-'))
            {
                result.AddError($"Unknown option '{token}'.");
            }
        });
        var verbose = new Option<bool>("--verbose") { Description = "Print each phase with its time, and peak memory." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing but errors." };

        var command = new RootCommand(Summary + Help)
        {
            input, outputModel, inputs, outputs, compress, target, verbose, quiet,
        };
        foreach (var option in legacy.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(legacy.Validate);
        command.SetAction(result => Program.Guard(() =>
        {
            var translation = legacy.Translate(result, result.GetValue(outputModel), result.GetValue(inputs) ?? [],
                result.GetResult(compress) is { Implicit: false } ? result.GetValue(compress) : null);
            var model = (result.GetValue(input), translation.InputModel) switch
            {
                ({ } positional, null) => positional,
                (null, { } named) => named,
                (null, null) => throw new UsageException("No model to convert: give INPUT_MODEL (or mo's --input_model)."),
                _ => throw new UsageException("Give the model once: as INPUT_MODEL or with --input_model, not both."),
            };
            var reporter = new ConsoleReporter(Program.VerbosityOf(result.GetValue(quiet), result.GetValue(verbose)));
            if (translation.Warning is { } warning)
            {
                reporter.Warning(warning);
            }

            var output = translation.MoOutputXml(model.FullName, Environment.CurrentDirectory)
                ?? OutputPaths.Resolve(model.FullName, result.GetValue(outputModel), Environment.CurrentDirectory);
            return Run(ConversionRequest.FromOvcOptions(model.FullName, output, translation.Inputs, result.GetValue(outputs) ?? [],
                translation.CompressToFp16 ?? true, result.GetValue(target)), reporter);
        }));
        return command;
    }

    private static int Run(ConversionRequest request, ConsoleReporter reporter)
    {
        var clock = Stopwatch.StartNew();

        var result = reporter.Run(observer => ModelConverter.Convert(request, observer));
        reporter.Line($"[ SUCCESS ] XML file: {result.XmlPath}");
        reporter.Line($"[ SUCCESS ] BIN file: {result.BinPath}");
        reporter.Detail($"[ INFO ] {result.LayerCount} layers, {result.BinBytes:N0} bytes of weights, {clock.Elapsed.TotalSeconds:F2} s, peak resident memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB, "
            + $"{GC.GetTotalAllocatedBytes() / 1048576.0:F1} MiB allocated, {GC.CollectionCount(0)} GCs ({GC.CollectionCount(2)} full)");
        return ExitCodes.Success;
    }
}
