using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Ops;
using AttributeType = ModelBuild.Core.Onnx.Wire.AttributeProto.Types.AttributeType;

namespace ModelBuild.Core.Frontends.Onnx.Translators;

/// <summary>Constant (every value_* form) and ConstantOfShape.</summary>
public static class ConstantTranslators
{
    public static IReadOnlyList<Output> Constant(OnnxNodeContext context)
    {
        if (context.GetTensor("value") is { } tensor)
        {
            return [context.Graph.Constant(tensor)];
        }

        if (context.GetAttribute("value_float") is { } single)
        {
            return [context.Graph.Constant(Tensor.FromArray([single.F], []))];
        }

        if (context.GetAttribute("value_floats") is { Type: AttributeType.Floats } floats)
        {
            return [context.Graph.Constant(Tensor.FromArray(floats.Floats.ToArray(), floats.Floats.Count))];
        }

        if (context.GetAttribute("value_int") is { } integer)
        {
            return [context.Graph.Int64(integer.I)];
        }

        if (context.GetAttribute("value_ints") is { Type: AttributeType.Ints } ints)
        {
            return [context.Graph.Int64s(ints.Ints.ToArray())];
        }

        if (context.GetAttribute("value_string") is { } text)
        {
            return [context.Graph.Constant(new Tensor(ElementType.String, [], new[] { text.S.ToStringUtf8() }))];
        }

        if (context.GetAttribute("value_strings") is { Type: AttributeType.Strings } texts)
        {
            var values = texts.Strings.Select(s => s.ToStringUtf8()).ToArray();
            return [context.Graph.Constant(new Tensor(ElementType.String, [values.Length], values))];
        }

        if (context.HasAttribute("sparse_value"))
        {
            return [SparseValue(context)];
        }

        throw context.Error("no value attribute is given");
    }

    /// <summary>ConstantOfShape: a tensor of the given shape filled with <c>value</c> (default f32 zero).</summary>
    public static IReadOnlyList<Output> ConstantOfShape(OnnxNodeContext context)
    {
        var value = context.GetTensor("value") ?? Tensor.FromArray([0f], []);
        var b = context.Graph;
        var scalar = b.Constant(value.Reshape());
        return [b.Broadcast(scalar, b.Convert(context.Input(0), ElementType.I64))];
    }

    // A sparse constant: values scattered into zeros at their (flat or coordinate) indices.
    private static Output SparseValue(OnnxNodeContext context)
    {
        var sparse = context.GetAttribute("sparse_value")!.SparseTensor;
        var values = OnnxTensors.ToTensor(sparse.Values);
        var indices = OnnxTensors.ToTensor(sparse.Indices).ToInt64Array();
        var shape = sparse.Dims.ToArray();
        var dense = Tensor.Zeros(values.Type, shape).ToDoubleArray();
        var strides = ShapeMath.Strides(shape);
        var perValue = values.ElementCount == 0 ? 0 : indices.Length / values.ElementCount;
        for (var i = 0; i < values.ElementCount; i++)
        {
            long flat = 0;
            if (perValue == 1)
            {
                flat = indices[i];
            }
            else
            {
                for (var d = 0; d < perValue; d++)
                {
                    flat += indices[i * perValue + d] * strides[d];
                }
            }

            dense[flat] = values.GetDouble(i);
        }

        return context.Graph.Constant(Tensor.FromDoubles(values.Type, dense, shape));
    }
}
