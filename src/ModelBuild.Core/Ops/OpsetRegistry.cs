using System.Diagnostics.CodeAnalysis;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Ops;

/// <summary>
/// Every OpenVINO op version ModelBuild can write, read and evaluate. The IR reader resolves a
/// layer's (type, opsetN) here: the newest op version of that type introduced at or before opsetN.
/// </summary>
public static class OpsetRegistry
{
    private static readonly Lazy<Dictionary<string, OpDefinition[]>> ByType = new(Build);

    /// <summary>
    /// All registered op definitions: Parameter, Constant and Result (defined in Graph/, which builds
    /// models of them), then every family of OpenVINO's specification, one holder per folder of Ops/.
    /// </summary>
    public static IEnumerable<OpDefinition> All =>
    [
        ParameterOp.Instance, ConstantOp.Instance, ResultOp.Instance,
        .. Members(typeof(ActivationOps)),
        .. Members(typeof(ArithmeticOps)),
        .. Members(typeof(BitwiseOps)),
        .. Members(typeof(ComparisonOps)),
        .. Members(typeof(ConditionOps)),
        .. Members(typeof(ConvolutionOps)),
        .. Members(typeof(DetectionOps)),
        .. Members(typeof(GenerationOps)),
        .. Members(typeof(ImageOps)),
        .. Members(typeof(InfrastructureOps)),
        .. Members(typeof(LogicalOps)),
        .. Members(typeof(MatrixOps)),
        .. Members(typeof(MovementOps)),
        .. Members(typeof(NormalizationOps)),
        .. Members(typeof(PoolingOps)),
        .. Members(typeof(QuantizationOps)),
        .. Members(typeof(ReductionOps)),
        .. Members(typeof(SequenceOps)),
        .. Members(typeof(ShapeOps)),
        .. Members(typeof(SignalOps)),
        .. Members(typeof(SortOps)),
        .. Members(typeof(SparseOps)),
        .. Members(typeof(TypeOps)),
    ];

    /// <summary>The op for an IR layer's type (matched case-insensitively, as OpenVINO does) and version.</summary>
    public static OpDefinition? Find(string type, string version)
    {
        if (!ByType.Value.TryGetValue(type, out var versions))
        {
            return null;
        }

        if (!version.StartsWith("opset", StringComparison.Ordinal) || !int.TryParse(version.AsSpan(5), out var opset))
        {
            return null;
        }

        return versions.LastOrDefault(op => op.Version <= opset);
    }

    private static Dictionary<string, OpDefinition[]> Build() =>
        All.GroupBy(op => op.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderBy(op => op.Version).ToArray(), StringComparer.OrdinalIgnoreCase);

    // The holders' public static fields are kept when the tool is compiled ahead of time (and trimmed).
    private static IEnumerable<OpDefinition> Members([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] Type holder) =>
        holder.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => typeof(OpDefinition).IsAssignableFrom(f.FieldType))
            .Select(f => (OpDefinition)f.GetValue(null)!);
}
