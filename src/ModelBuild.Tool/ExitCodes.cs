namespace ModelBuild.Tool;

/// <summary>The process exit codes, as documented in README.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The model could not be converted (or a verified model did not match).</summary>
    public const int ConversionError = 1;

    /// <summary>The command line was wrong.</summary>
    public const int UsageError = 2;

    /// <summary><c>verify</c>: the reference runtime (ONNX Runtime) cannot run the model, so nothing was compared (MB6003).</summary>
    public const int ReferenceUnavailable = 3;
}
