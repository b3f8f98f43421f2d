using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Tasks;

/// <summary>
/// Converts the <c>OnnxModel</c> and <c>HugeCtrModel</c> items MSBuild found out of date. The <c>_ModelBuildCoreConvert</c>
/// target's Inputs/Outputs decide staleness, so the task does not: it receives every model, and only the out-of-date
/// entries of the target's input list (a model file, the converter, or one of the files its last conversion read:
/// external data, a HugeCTR model's dense, sparse and non-trainable parameter files), each naming its model's IR in
/// <c>OutputXml</c> metadata. Those models convert in parallel. The task replaces only files that are ModelBuild's
/// (<see cref="OutputOwnership"/>) and records what it writes before writing it (<see cref="OutputsRecord"/>). A model
/// that fails loses its previous IR, so it can never look up to date.
/// </summary>
public sealed class ConvertModels : Microsoft.Build.Utilities.Task, ICancelableTask, IIncrementalTask
{
    // Diagnostics about what the item's Input and Outputs metadata ask for: the user acts in the project file.
    private static readonly FrozenSet<string> MetadataCodes = FrozenSet.Create(StringComparer.Ordinal,
        DiagnosticCode.InvalidInputOverride, DiagnosticCode.UnknownInputName, DiagnosticCode.UnknownOutputName, DiagnosticCode.InputOverrideMatchesNothing);

    // Conversions run on worker threads; their messages go to MSBuild one at a time so they never interleave.
    private readonly Lock _logLock = new();

    // Set from MSBuild's thread on Ctrl+C; conversions already running finish, no new one starts.
    private volatile bool _canceled;

    /// <summary>Every model of the project, with the metadata <c>_ModelBuildComputeOutputs</c> resolved.</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>The target's out-of-date input entries; each carries its model's <c>OutputXml</c>.</summary>
    [Required]
    public ITaskItem[] StaleInputs { get; set; } = [];

    /// <summary>Models converted at once; 0 means one per core.</summary>
    public int MaxParallelism { get; set; }

    /// <summary>Set by MSBuild in question mode (<c>-question</c>): report work instead of doing it.</summary>
    public bool FailIfNotIncremental { get; set; }

    /// <summary>The files this run wrote (IR, dependency files, records), for FileWrites.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    public void Cancel() => _canceled = true;

    public override bool Execute()
    {
        var staleOutputs = StaleInputs.Select(input => input.GetMetadata("OutputXml")).ToHashSet(StringComparer.Ordinal);
        var models = Models.Select(ModelItem.From).Where(model => staleOutputs.Contains(model.OutputXml)).ToList();
        if (FailIfNotIncremental)
        {
            foreach (var model in models)
            {
                Log.LogError("ModelBuild: {0} is out of date and would be converted to {1}.", model.ProjectItemSpec, model.OutputXml);
            }

            return models.Count == 0;
        }

        var written = new ConcurrentQueue<string>();
        var parallelism = Math.Min(MaxParallelism > 0 ? MaxParallelism : Environment.ProcessorCount, Math.Max(models.Count, 1));
        Parallel.ForEach(models, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, (model, loop) =>
        {
            if (_canceled)
            {
                // Models not converted keep outputs older than their inputs, so the next build converts them.
                loop.Stop();
                return;
            }

            if (Convert(model))
            {
                foreach (var file in new[] { model.OutputXml, model.OutputBin, model.DependencyFile, model.OutputsRecord })
                {
                    written.Enqueue(file);
                }
            }
        });

        WrittenFiles = [.. written.Select(file => new TaskItem(file))];
        return !_canceled && !Log.HasLoggedErrors;
    }

    private bool Convert(ModelItem model)
    {
        var clock = Stopwatch.StartNew();
        if (OutputOwnership.ForeignFile(model.OutputXml, model.OutputBin, OutputsRecord.Read(model.OutputsRecord)) is { } foreign)
        {
            // Without a dependency file the model stays out of date: every build says so until the file is moved away.
            DeleteFiles(DependencyFile.AllOf(model.StateFile));
            lock (_logLock)
            {
                Log.LogError(null, TaskDiagnosticCode.ForeignFileAtOutput, null, model.ProjectFile, 0, 0, 0, 0,
                    "{0}: {1} is not IR that ModelBuild wrote, so the build does not replace it. Move it away, or give the item another OutputPath or Link.",
                    model.DisplayName, foreign);
            }

            return false;
        }

        ConversionResult result;
        try
        {
            var request = model.ToRequest();

            // Recorded before anything is written: what a killed build leaves is still the build's to replace and clean.
            OutputsRecord.Write(model.OutputsRecord, model.OutputXml, model.OutputBin);
            DeleteFiles(DependencyFile.AllOf(model.StateFile));
            result = ModelConverter.Convert(request);
            DependencyFile.Write(model.DependencyFile, model.StateFile, result.SourceFiles.Where(file => file != model.ModelPath));
        }
        catch (Exception error)
        {
            Fail(model, () => LogFailure(model, error));
            return false;
        }

        lock (_logLock)
        {
            foreach (var warning in result.Warnings)
            {
                var (file, text) = Locate(model, warning);
                Log.LogWarning(null, warning.Code, null, file, 0, 0, 0, 0, "{0}", text);
            }
        }

        // A warning the project makes an error (WarningsAsErrors, -warnaserror) fails the model as an error would.
        if (result.Warnings.Any(warning => BuildEngine is IBuildEngine8 engine && engine.ShouldTreatWarningAsError(warning.Code)))
        {
            Fail(model, logFailure: null);
            return false;
        }

        lock (_logLock)
        {
            Log.LogMessage(MessageImportance.High, "ModelBuild: {0} -> {1} ({2} layers, {3} bytes of weights, {4} s)",
                model.ProjectItemSpec, model.OutputXml, result.LayerCount, result.BinBytes,
                clock.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
        }

        return true;
    }

    // Whatever went wrong, the previous IR must not survive to look up to date for a model that now fails.
    private void Fail(ModelItem model, Action? logFailure)
    {
        var deleteError = DeleteFiles([model.OutputXml, model.OutputBin, .. DependencyFile.AllOf(model.StateFile)]);
        lock (_logLock)
        {
            logFailure?.Invoke();
            if (deleteError is not null)
            {
                Log.LogError(null, DiagnosticCode.OutputWriteFailed, null, model.ProjectItemSpec, 0, 0, 0, 0,
                    "The previous IR {0} could not be deleted: {1}", model.OutputXml, deleteError.Message);
            }
        }
    }

    private void LogFailure(ModelItem model, Exception error)
    {
        switch (error)
        {
            case ModelBuildException known:
                var (file, text) = Locate(model, known);
                Log.LogError(null, known.Code, null, file, 0, 0, 0, 0, "{0}", text);
                break;
            case FormatException invalidMetadata:
                Log.LogError(null, TaskDiagnosticCode.InvalidItemMetadata, null, model.ProjectFile, 0, 0, 0, 0, "{0}: {1}", model.DisplayName, invalidMetadata.Message);
                break;
            case IOException or UnauthorizedAccessException:
                Log.LogError(null, DiagnosticCode.OutputWriteFailed, null, model.ProjectItemSpec, 0, 0, 0, 0, "{0}", error.Message);
                break;
            default:
                // A converter bug: keep the stack so it can be reported.
                Log.LogErrorFromException(error, showStackTrace: true, showDetail: true, model.ProjectItemSpec);
                break;
        }
    }

    private static Exception? DeleteFiles(IEnumerable<string> files)
    {
        try
        {
            foreach (var file in files.Where(File.Exists))
            {
                File.Delete(file);
            }

            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return error;
        }
    }

    // Where the user must act: the item's metadata (Input, Outputs) for what they decide, the model for the rest. The
    // text names the node, as the CLI does, and the item when the location is the project file.
    private static (string File, string Text) Locate(ModelItem model, ModelBuildException diagnostic)
    {
        var text = diagnostic.NodeName is null ? diagnostic.Message : $"node '{diagnostic.NodeName}': {diagnostic.Message}";
        return MetadataCodes.Contains(diagnostic.Code) ? (model.ProjectFile, $"{model.DisplayName}: {text}") : (model.ProjectItemSpec, text);
    }
}
