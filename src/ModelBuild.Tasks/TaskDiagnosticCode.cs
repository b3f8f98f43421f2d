namespace ModelBuild.Tasks;

/// <summary>Codes only the MSBuild integration reports (docs/diagnostics.md, 5xxx); the converter's own are in Core.</summary>
public static class TaskDiagnosticCode
{
    // ModelBuild.targets reports, before any task loads: MB5001 (an MSBuild that cannot run the task), MB5003 (IR outside
    // the folders the build may write) and MB5005 (two items, one IR).

    /// <summary>An OnnxModel or HugeCtrModel item's metadata has a value the task cannot use.</summary>
    public const string InvalidItemMetadata = "MB5002";

    /// <summary>A file is where the IR goes and is not IR that ModelBuild wrote: the build does not replace it.</summary>
    public const string ForeignFileAtOutput = "MB5004";
}
