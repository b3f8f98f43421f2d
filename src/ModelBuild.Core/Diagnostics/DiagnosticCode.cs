namespace ModelBuild.Core.Diagnostics;

/// <summary>
/// Stable, documented error and warning codes. A code never changes meaning once released;
/// docs/diagnostics.md describes each one and what the user can do about it.
/// </summary>
public static class DiagnosticCode
{
    // 1xxx: reading the source model.
    public const string ModelFileNotFound = "MB1001";
    public const string MalformedModel = "MB1002";
    public const string UnsupportedOpset = "MB1003";
    public const string UnsupportedOperators = "MB1004";
    public const string ExternalDataLocationRefused = "MB1005";
    public const string ExternalDataFileMissing = "MB1006";
    public const string ExternalDataOutOfRange = "MB1007";
    public const string InvalidGraph = "MB1008";
    public const string UnsupportedElementType = "MB1009";
    public const string ModelTooLarge = "MB1010";

    // 2xxx: translating and transforming.
    public const string TranslationFailed = "MB2001";
    public const string ShapeInferenceFailed = "MB2002";
    public const string InvalidInputOverride = "MB2003";
    public const string UnknownInputName = "MB2004";
    public const string UnknownOutputName = "MB2005";
    public const string EvaluationFailed = "MB2006";
    public const string InvalidTargetRelease = "MB2007";
    public const string OpUnavailableInTarget = "MB2008";
    public const string ZeroDimensionUnavailableInTarget = "MB2009";

    // 3xxx: writing and reading OpenVINO IR.
    public const string OutputWriteFailed = "MB3001";
    public const string MalformedIr = "MB3002";
    public const string UnknownIrOperation = "MB3003";
    public const string UnwritableText = "MB3004";

    // 4xxx: HugeCTR models.
    public const string HugeCtrMalformedConfig = "MB4001";
    public const string HugeCtrUnsupportedLayer = "MB4002";
    public const string HugeCtrSizeMismatch = "MB4003";
    public const string HugeCtrMissingFile = "MB4004";
    public const string HugeCtrKeyOutOfRange = "MB4005";
    public const string HugeCtrUnsupportedConfiguration = "MB4006";

    // 6xxx: verifying a conversion against a reference runtime (modelconvert verify MODEL.onnx).
    public const string VerificationInputUnknown = "MB6001";
    public const string VerificationInputInvalid = "MB6002";
    public const string ReferenceRuntimeFailed = "MB6003";

    // 9xxx: warnings.
    public const string InputOverrideMatchesNothing = "MB9001";
    public const string ZeroSizedInputLeftOut = "MB9002";
}
