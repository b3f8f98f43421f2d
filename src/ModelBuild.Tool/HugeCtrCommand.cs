using System.CommandLine;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Frontends.HugeCtr;

namespace ModelBuild.Tool;

/// <summary>
/// <c>modelconvert hugectr</c>: a trained HugeCTR model to ONNX, with the options of <c>hugectr2onnx</c>,
/// or straight to IR when the output is an .xml path.
/// </summary>
public static class HugeCtrCommand
{
    public static Command Create()
    {
        var graphConfig = new Option<FileInfo>("--graph-config") { Description = "The graph config JSON written by Model.graph_to_json().", Required = true };
        var denseModel = new Option<FileInfo>("--dense-model") { Description = "The dense weights file (<prefix>_dense_<iteration>.model).", Required = true };
        var sparseModels = new Option<DirectoryInfo[]>("--sparse-models")
        {
            Description = "The sparse model folders (each with key and emb_vector), one per embedding layer in graph-config order. Read only with --convert-embedding.",
            AllowMultipleArgumentsPerToken = true,
        };
        var convertEmbedding = new Option<bool>("--convert-embedding")
        {
            Description = "Put the embedding tables into the model, whose inputs are then the dense features and the sparse keys. "
                + "Without it, the model starts after the embeddings and takes the embedding vectors as inputs.",
        };
        var ntpFile = new Option<FileInfo?>("--ntp-file") { Description = "The non-trainable parameters file (<dense model>.ntp.json); needed for BatchNorm layers." };
        var graphName = new Option<string>("--graph-name") { Description = "The ONNX graph name.", DefaultValueFactory = _ => "hugectr" };
        var outputModel = new Option<string>("--output_model")
        {
            Description = "Where to write the model: an .onnx file, or with an .xml path the OpenVINO IR (.xml + .bin) directly.",
            Required = true,
        };
        var compress = new Option<bool>("--compress_to_fp16")
        {
            Description = "For IR output: store float weights as FP16 (true, the default, as ovc) or keep their precision (false).",
            DefaultValueFactory = _ => true,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var target = new Option<string?>("--target_openvino")
        {
            Description = "For IR output: the OpenVINO release the IR must load in, e.g. 2022.1 (default: the newest ModelBuild knows).",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Print each phase with its time." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing but errors." };

        var command = new Command("hugectr", "Converts a trained HugeCTR model (graph config, dense and sparse model files) to ONNX like hugectr2onnx, or straight to OpenVINO IR.")
        {
            graphConfig, denseModel, sparseModels, convertEmbedding, ntpFile, graphName, outputModel, compress, target, verbose, quiet,
        };
        command.SetAction(result => Program.Guard(() => Run(
            result.GetValue(graphConfig)!,
            new HugeCtrOptions
            {
                DenseModelPath = result.GetValue(denseModel)!.FullName,
                SparseModelPaths = (result.GetValue(sparseModels) ?? []).Select(d => d.FullName).ToList(),
                ConvertEmbedding = result.GetValue(convertEmbedding),
                NonTrainableParametersPath = result.GetValue(ntpFile)?.FullName,
                GraphName = result.GetValue(graphName)!,
            },
            Path.GetFullPath(result.GetValue(outputModel)!),
            result.GetValue(compress),
            result.GetValue(target),
            new ConsoleReporter(Program.VerbosityOf(result.GetValue(quiet), result.GetValue(verbose))))));
        return command;
    }

    private static int Run(FileInfo graphConfig, HugeCtrOptions options, string output, bool compress, string? target, ConsoleReporter reporter)
    {
        if (!output.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            HugeCtrFrontend.WriteOnnx(graphConfig.FullName, options, output);
            reporter.Line($"[ SUCCESS ] ONNX file: {output}");
            return ExitCodes.Success;
        }

        // The request the MSBuild task builds for a HugeCtrModel item with the same options: the same IR from either.
        var request = ConversionRequest.FromOvcOptions(graphConfig.FullName, output, [], [], compress, target) with { HugeCtr = options };
        var result = reporter.Run(observer => ModelConverter.Convert(request, observer));
        reporter.Line($"[ SUCCESS ] XML file: {result.XmlPath}");
        reporter.Line($"[ SUCCESS ] BIN file: {result.BinPath}");
        return ExitCodes.Success;
    }
}
