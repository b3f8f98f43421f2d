using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Frontends.HugeCtr;
using ModelBuild.Core.Frontends.Onnx;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Transforms;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Conversion;

/// <summary>
/// The one entry point of the converter: read → translate → transform → write. The MSBuild task and
/// the CLI are thin shells over <see cref="Convert"/>. Errors are <see cref="ModelBuildException"/>s
/// with stable codes; no partial output survives a failure.
/// </summary>
public static class ModelConverter
{
    public static ConversionResult Convert(ConversionRequest request, IConversionObserver? observer = null)
    {
        var warnings = new List<ModelBuildException>();
        using var files = new MappedFileSet();

        observer?.PhaseStarted(ConversionPhase.Reading);
        var onnx = request.HugeCtr is { } hugeCtr
            ? HugeCtrFrontend.ToOnnx(request.InputPath, hugeCtr, files)
            : OnnxModelReader.Read(request.InputPath, files);

        // Folding may take a fixed amount of work plus some per byte of the source files (external data included).
        var budget = EvaluationBudget.ForConversion(() => files.TotalBytes);
        observer?.PhaseStarted(ConversionPhase.Translating);
        Model model;
        try
        {
            model = OnnxFrontend.Translate(onnx, request.Frontend, warnings, budget);
        }
        catch (InferenceException error)
        {
            // Raised outside any node's translation (graph inputs, initializers): no node to name.
            throw new ModelBuildException(DiagnosticCode.ShapeInferenceFailed, error.Message, onnx.Path);
        }

        foreach (var warning in warnings)
        {
            observer?.Warning(warning);
        }

        observer?.PhaseStarted(ConversionPhase.Transforming);
        Fp16Compression? compression = null;
        try
        {
            ConstantFoldingPass.Run(model, budget);
            OpsetDowngrade.Run(model, request.Target);
            foreach (var warning in ZeroDimensionDowngrade.Run(model, request.Target).Select(w => w.WithFile(onnx.Path)))
            {
                warnings.Add(warning);
                observer?.Warning(warning);
            }

            SubBytePacking.Run(model, request.Target);
            if (request.CompressToFp16)
            {
                compression = Fp16Compression.Run(model);
            }
        }
        catch (InferenceException error)
        {
            throw new ModelBuildException(DiagnosticCode.ShapeInferenceFailed, error.Message, onnx.Path);
        }
        catch (ModelBuildException error) when (error.File is null)
        {
            throw error.WithFile(onnx.Path);
        }

        model.ConversionParameters.Add(new("framework", request.HugeCtr is null ? "onnx" : "hugectr"));
        model.ConversionParameters.AddRange(request.EchoedOptions);

        observer?.PhaseStarted(ConversionPhase.Writing);
        var expected = ExpectedBinBytes(model);
        IrWriter.Write(model, request.OutputXmlPath, request.OutputBinPath, new IrWriteOptions
        {
            BytesWritten = written => observer?.BytesWritten(written, expected),
            WithdrawConstant = compression is null ? null : compression.WithdrawIfMostlyOutOfRange,
        });

        return new ConversionResult(
            Path.GetFullPath(request.OutputXmlPath),
            Path.GetFullPath(request.OutputBinPath),
            model.OrderedNodes().Count,
            new FileInfo(request.OutputBinPath).Length,
            compression?.Count ?? 0,
            warnings,
            files.Paths);
    }

    // An upper bound of the .bin size (before deduplication), for progress reporting.
    private static long ExpectedBinBytes(Model model) =>
        model.OrderedNodes().Sum(n => (n.Constant?.Data.Length ?? 0) + n.Bodies.Sum(b => ExpectedBinBytes(b.Graph)));
}
