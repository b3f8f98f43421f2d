namespace ModelBuild.Tasks;

/// <summary>Codes only the MSBuild integration reports (docs/diagnostics.md, 5xxx); the converter's own are in Core.</summary>
public static class TaskDiagnosticCode
{
    // MB5001 (an MSBuild that cannot run the task) is reported by ModelBuild.targets before the task loads.

    /// <summary>An OnnxModel or HugeCtrModel item's metadata has a value the task cannot use.</summary>
    public const string InvalidItemMetadata = "MB5002";
}
