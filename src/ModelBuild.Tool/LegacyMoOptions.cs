using System.CommandLine;
using ModelBuild.Core.Conversion;

namespace ModelBuild.Tool;

/// <summary>
/// Model Optimizer's (<c>mo</c>) option names, which the DLRM and RNN-T guides and most 2020–2023 material use: the ones
/// with an ovc meaning are accepted and translated (one warning line names the ovc spellings), the others are usage errors
/// naming them.
/// </summary>
public sealed class LegacyMoOptions
{
    // mo options that change what mo writes in ways modelconvert does not do (preprocessing, layouts, extensions, ...).
    private static readonly string[] WithoutMeaning =
    [
        "--mean_values", "--scale_values", "--scale", "--reverse_input_channels", "--layout", "--source_layout", "--target_layout",
        "--batch", "--static_shape", "--extensions", "--transformations_config", "--disable_fusing", "--disable_gfusing",
        "--finegrain_fusing", "--disable_resnet_optimization", "--enable_concat_optimization", "--use_new_frontend",
        "--use_legacy_frontend", "--log_level", "--silent", "--stream_output", "--progress", "--disable_nhwc_to_nchw",
        "--keep_shape_ops", "--input_checkpoint", "--input_meta_graph", "--saved_model_dir", "--input_proto", "--input_symbol",
        "--caffe_parser_path", "--counts", "--tensorboard_logdir", "--output_dir_ir", "--legacy_mxnet_model", "--nd_prefix_name",
        "--pretrained_model_name", "--save_params_from_nd", "--remove_output_softmax", "--remove_memory",
    ];

    public Option<FileInfo?> InputModel { get; } = new("--input_model") { Description = "Legacy mo spelling of the INPUT_MODEL argument.", Hidden = true };

    public Option<string?> OutputDir { get; } = new("--output_dir") { Description = "Legacy mo: the folder to write <model_name>.xml and .bin in (default: the current folder).", Hidden = true };

    public Option<string?> ModelName { get; } = new("--model_name") { Description = "Legacy mo: the IR's file name without extension (default: the input's).", Hidden = true };

    public Option<string?> InputShape { get; } = new("--input_shape") { Description = "Legacy mo: shapes of the --input entries (or of the model's inputs, in order).", Hidden = true };

    public Option<string?> DataType { get; } = new("--data_type") { Description = "Legacy mo: FP16 (weights compressed, ovc's default) or FP32.", Hidden = true };

    public Option<string?> Framework { get; } = new("--framework") { Description = "Legacy mo: the source framework; only onnx.", Hidden = true };

    private readonly Option<string[]>[] _withoutMeaning = WithoutMeaning.Select(name => new Option<string[]>(name) { Hidden = true, Arity = ArgumentArity.ZeroOrMore }).ToArray();

    public IEnumerable<Option> All => [InputModel, OutputDir, ModelName, InputShape, DataType, Framework, .. _withoutMeaning];

    /// <summary>Usage errors for mo options modelconvert has no meaning for, and for impossible combinations.</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var option in _withoutMeaning.Where(o => result.GetResult(o) is not null))
        {
            result.AddError($"'{option.Name}' is a Model Optimizer (mo) option with no meaning in modelconvert, which converts the model as it is (no preprocessing, layout or framework-specific options).");
        }

        if (result.GetValue(DataType) is { } dataType && dataType.ToUpperInvariant() is not ("FP16" or "HALF" or "FP32" or "FLOAT"))
        {
            result.AddError($"'--data_type {dataType}': modelconvert writes FP16 or FP32 weights (--compress_to_fp16).");
        }

        if (result.GetValue(Framework) is { } framework && !framework.Equals("onnx", StringComparison.OrdinalIgnoreCase))
        {
            result.AddError($"'--framework {framework}': modelconvert converts ONNX models (and HugeCTR ones with 'modelconvert hugectr').");
        }
    }

    /// <summary>The legacy options given, translated: the ovc spellings to print in one warning line, and their effect.</summary>
    public Translation Translate(ParseResult result, string? outputModel, IReadOnlyList<string> inputs, bool? compress)
    {
        var replaced = new List<string>();
        var inputModel = result.GetValue(InputModel);
        if (inputModel is not null)
        {
            replaced.Add("--input_model MODEL → MODEL (the first argument)");
        }

        var outputDir = result.GetValue(OutputDir);
        var modelName = result.GetValue(ModelName);
        if (outputDir is not null || modelName is not null)
        {
            if (outputModel is not null)
            {
                throw new UsageException("--output_model cannot be combined with mo's --output_dir/--model_name.");
            }

            replaced.Add("--output_dir DIR --model_name NAME → --output_model DIR/NAME.xml");
        }

        if (result.GetValue(InputShape) is { } inputShape)
        {
            inputs = InputSpecParser.WithLegacyShapes(inputs, inputShape);
            replaced.Add("--input_shape → shapes in --input (\"name[1,3,224,224]\")");
        }

        if (result.GetValue(DataType) is { } dataType)
        {
            var fp16 = dataType.ToUpperInvariant() is "FP16" or "HALF";
            if (compress is { } given && given != fp16)
            {
                throw new UsageException($"--data_type {dataType} contradicts --compress_to_fp16={given}.");
            }

            compress = fp16;
            replaced.Add($"--data_type {dataType} → --compress_to_fp16={(fp16 ? "True" : "False")}");
        }

        if (result.GetValue(Framework) is not null)
        {
            replaced.Add("--framework onnx → nothing (the model's format is read from the file)");
        }

        return new Translation(inputModel, outputDir, modelName, inputs, compress, replaced);
    }

    /// <summary>What the legacy options amount to. <see cref="Warning"/> is null when none was used.</summary>
    public sealed record Translation(FileInfo? InputModel, string? OutputDir, string? ModelName, IReadOnlyList<string> Inputs, bool? CompressToFp16, IReadOnlyList<string> Replaced)
    {
        public string? Warning => Replaced.Count == 0 ? null : $"Legacy Model Optimizer (mo) options; the ovc spellings are: {string.Join("; ", Replaced)}.";

        /// <summary>Where mo writes: <c>&lt;output_dir&gt;/&lt;model_name&gt;.xml</c>, the current folder and the input's name by default.</summary>
        public string? MoOutputXml(string inputPath, string currentDirectory) =>
            OutputDir is null && ModelName is null
                ? null
                : Path.Combine(Path.GetFullPath(OutputDir ?? ".", currentDirectory), (ModelName ?? Path.GetFileNameWithoutExtension(inputPath)) + ".xml");
    }
}

/// <summary>A command line that parsed but does not make sense; exits with the usage error code.</summary>
public sealed class UsageException(string message) : Exception(message);
