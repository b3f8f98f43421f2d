using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Inspection;

/// <summary>One model input or output as a summary lists it.</summary>
public sealed record TensorSummary(string Name, ElementType Type, PartialShape Shape);

/// <summary>What <c>modelconvert inspect</c> reports about an ONNX model or an IR.</summary>
public sealed record ModelSummary(
    string Path,
    string Format,
    string Name,
    IReadOnlyList<TensorSummary> Inputs,
    IReadOnlyList<TensorSummary> Outputs,
    IReadOnlyList<KeyValuePair<string, long>> Opsets,
    IReadOnlyList<KeyValuePair<string, int>> OperatorCounts,
    long ParameterCount,
    long ParameterBytes,
    IReadOnlyList<string> ExternalDataFiles,
    IReadOnlyList<string> NodeLines,
    OpenVinoCompatibility OpenVino);
