using ModelBuild.Core.Graph;
using ModelBuild.Core.Ops;
using ModelBuild.Core.Reference;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>Single ops on parameters and constants, for the tests of op inference and kernels.</summary>
public static class OpGraph
{
    /// <summary>2-D convolution attributes: strides 2 and 1, one row of padding on each side.</summary>
    public static readonly (string, object)[] Conv2d =
        [("strides", new long[] { 2, 1 }), ("dilations", new long[] { 1, 1 }), ("pads_begin", new long[] { 1, 0 }), ("pads_end", new long[] { 1, 0 }), ("auto_pad", "explicit")];

    public static GraphBuilder Builder { get; } = new();

    public static Output Parameter(ElementType type, string shape) => Node.CreateParameter(type, PartialShape.Parse(shape), "p").Output();

    public static Output Parameter(PartialShape shape, ElementType type = ElementType.F32) =>
        Node.CreateParameter(type, shape, "p").Output();

    public static Output Constant(float[] values, params long[] shape) => Builder.Constant(Tensor.FromArray(values, shape));

    public static Output Floats(params float[] values) => Builder.Constant(Tensor.FromArray(values, values.Length));

    public static Tensor Value(Output output) => output.Node.Constant!.TryGetValue()!;

    public static Dimension AtLeast(long length) => new(length, Dimension.Unbounded);

    /// <summary>Evaluates <paramref name="op"/> with the reference kernel on <paramref name="inputs"/>; its first output.</summary>
    public static Tensor Run(OpDefinition op, (string Name, object Value)[] attributes, params Tensor[] inputs) =>
        ReferenceEvaluator.Evaluate(op, Attributes.Create(op.Type, op.AttributeSpecs, attributes.ToDictionary(a => a.Name, a => a.Value)), [], null, inputs)[0];
}
