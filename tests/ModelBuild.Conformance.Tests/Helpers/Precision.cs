namespace ModelBuild.Conformance.Tests.Helpers;

/// <summary>The two ways each backend test runs: weights as in the model, and FP16-compressed as ovc writes them by default.</summary>
public enum Precision
{
    Fp32,
    Fp16,
}
