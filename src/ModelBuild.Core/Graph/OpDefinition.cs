namespace ModelBuild.Core.Graph;

/// <summary>
/// An OpenVINO operation version: its IR type name and introduction opset, the attributes it
/// declares, its type/shape inference and its reference evaluation. Definitions are stateless
/// singletons listed in <see cref="Ops.OpsetRegistry"/>.
/// </summary>
public abstract class OpDefinition
{
    protected OpDefinition(string type, int version, int minInputs, int maxInputs)
    {
        Type = type;
        Version = version;
        MinInputs = minInputs;
        MaxInputs = maxInputs;
    }

    /// <summary>The IR <c>type</c> (e.g. <c>Convolution</c>, <c>SoftMax</c>).</summary>
    public string Type { get; }

    /// <summary>The opset in which this op version appeared; IR <c>version="opsetN"</c>.</summary>
    public int Version { get; }

    public string OpsetName => $"opset{Version}";

    public int MinInputs { get; }

    public int MaxInputs { get; }

    /// <summary>Attributes in the order they are written to IR.</summary>
    public virtual IReadOnlyList<AttributeSpec> AttributeSpecs => [];

    /// <summary>True only for Const.</summary>
    public virtual bool IsConstant => false;

    /// <summary>Whether constant folding may replace the op by its value (false for Parameter, Result, random ops).</summary>
    public virtual bool IsFoldable => true;

    /// <summary>
    /// When false (the default), the evaluator hands f16/bf16 inputs to <see cref="Evaluate"/> as f32
    /// and rounds the outputs back, so kernels only deal with f32/f64 floats.
    /// </summary>
    public virtual bool EvaluatesLowPrecision => false;

    /// <summary>Checks inputs and attributes and sets the type and shape of every output.</summary>
    public abstract void Infer(InferenceContext context);

    /// <summary>Computes the outputs from concrete inputs, following the OpenVINO op specification.</summary>
    public abstract Tensor[] Evaluate(EvaluationContext context);

    /// <summary>
    /// The work <see cref="Evaluate"/> does beyond reading its inputs and writing its outputs once (which
    /// the evaluator charges itself): for kernels that revisit elements — a reduction per output element
    /// (MatMul, convolutions, pooling windows), pairwise comparisons, recurrences. In <see cref="EvaluationBudget"/> units.
    /// </summary>
    public virtual long EvaluationWork(EvaluationContext context) => 0;

    public override string ToString() => $"{Type}-{OpsetName}";
}
