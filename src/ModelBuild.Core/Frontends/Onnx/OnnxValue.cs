using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Frontends.Onnx;

/// <summary>
/// What an ONNX value name stands for while translating. OpenVINO graphs carry tensors only, so
/// ONNX sequences and optionals live only during translation, as conversion-time structures over
/// tensors: a sequence is the list of its element tensors (its length must be known when
/// converting), an optional is empty or holds one value.
/// </summary>
public abstract record OnnxValue
{
    /// <summary>"a tensor", "a sequence", ... for messages.</summary>
    public abstract string Kind { get; }
}

/// <summary>A tensor: one graph output.</summary>
public sealed record OnnxTensor(Output Value) : OnnxValue
{
    public override string Kind => "a tensor";
}

/// <summary>A sequence of tensors whose length is known at conversion time.</summary>
public sealed record OnnxSequence(IReadOnlyList<Output> Elements) : OnnxValue
{
    public override string Kind => "a sequence";
}

/// <summary>An optional: <see cref="Element"/> is null when it is empty.</summary>
public sealed record OnnxOptional(OnnxValue? Element) : OnnxValue
{
    public override string Kind => "an optional";
}

/// <summary>An output its translator does not produce; any use of it fails with <see cref="Reason"/>.</summary>
internal sealed record OnnxUnavailable(string Reason) : OnnxValue
{
    public override string Kind => "an unavailable value";
}
