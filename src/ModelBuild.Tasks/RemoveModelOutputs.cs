using Microsoft.Build.Framework;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Files;

namespace ModelBuild.Tasks;

/// <summary>
/// Deletes what earlier builds wrote, and nothing else. For each record (<see cref="OutputsRecord"/>) it is given (of an
/// output no item writes any more, or every record when the project is cleaned): the IR it lists, when that is still
/// ModelBuild's (<see cref="OutputOwnership"/>) and inside the folders the build may write, then the record and the
/// output's dependency files. And the temporary files builds killed mid-write left, but never one a build that is
/// still running holds (<see cref="StagedFile.RemoveAbandoned"/>).
/// </summary>
public sealed class RemoveModelOutputs : Microsoft.Build.Utilities.Task, IIncrementalTask
{
    /// <summary>The records whose outputs go.</summary>
    public ITaskItem[] Records { get; set; } = [];

    /// <summary>Temporary files found beside the IR and the state files (<c>*.modelbuild-*.tmp</c>).</summary>
    public ITaskItem[] TemporaryFiles { get; set; } = [];

    /// <summary>The folders the build may write and delete in, each with a trailing separator.</summary>
    [Required]
    public ITaskItem[] WritableFolders { get; set; } = [];

    /// <summary>Set by MSBuild in question mode (<c>-question</c>): report work instead of doing it.</summary>
    public bool FailIfNotIncremental { get; set; }

    public override bool Execute()
    {
        if (FailIfNotIncremental)
        {
            foreach (var item in Records.Concat(TemporaryFiles))
            {
                Log.LogError("ModelBuild: {0} is left from an earlier build and would be removed.", item.ItemSpec);
            }

            return Records.Length + TemporaryFiles.Length == 0;
        }

        foreach (var record in Records)
        {
            Delete(record.ItemSpec);
        }

        foreach (var destination in TemporaryFiles.Select(file => StagedFile.DestinationOf(file.ItemSpec)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            RemoveAbandoned(destination);
        }

        return !Log.HasLoggedErrors;
    }

    private void Delete(string record)
    {
        var outputs = OutputsRecord.Read(record);
        if (outputs is [var xml, var bin])
        {
            if (OutputOwnership.ForeignFile(xml, bin, outputs) is { } foreign)
            {
                Log.LogMessage(MessageImportance.High, "ModelBuild: {0} is left in place: it is no longer IR that ModelBuild wrote.", foreign);
            }
            else if (outputs.FirstOrDefault(file => !IsWritable(file)) is { } outside)
            {
                Log.LogMessage(MessageImportance.High, "ModelBuild: {0} is left in place: it is outside the folders the build may write now.", outside);
            }
            else
            {
                TryDelete(xml);
                TryDelete(bin);
                RemoveAbandoned(xml);
                RemoveAbandoned(bin);
            }
        }

        foreach (var state in DependencyFile.AllOf(OutputsRecord.StateFileOf(record)).Append(record))
        {
            TryDelete(state);
        }
    }

    private bool IsWritable(string path)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return WritableFolders.Any(folder => path.StartsWith(folder.ItemSpec, comparison));
    }

    private void RemoveAbandoned(string destination)
    {
        foreach (var removed in StagedFile.RemoveAbandoned(destination))
        {
            Log.LogMessage(MessageImportance.Normal, "ModelBuild: removed {0}, left by a build that did not finish.", removed);
        }
    }

    private void TryDelete(string file)
    {
        try
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                Log.LogMessage(MessageImportance.Normal, "ModelBuild: deleted {0}.", file);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning(null, DiagnosticCode.OutputWriteFailed, null, file, 0, 0, 0, 0, "{0} could not be deleted: {1}", file, error.Message);
        }
    }
}
