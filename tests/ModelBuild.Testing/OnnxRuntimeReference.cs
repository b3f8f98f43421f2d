using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Core.Graph;
using Tensor = ModelBuild.Core.Graph.Tensor;

namespace ModelBuild.Testing;

/// <summary>
/// ONNX Runtime as the numerical truth for generated models: runs a model on CPU with graph optimizations off (every
/// node computed as the ONNX operator defines it, no fusion) and returns its outputs in graph order.
/// </summary>
public static class OnnxRuntimeReference
{
    public static IReadOnlyList<Tensor> Run(OnnxGraphBuilder model, IReadOnlyList<(string Name, Tensor Value)> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.ToBytes(), options);
        var values = inputs.Select(input => ToOrtValue(input.Value)).ToList();
        try
        {
            using var runOptions = new RunOptions();
            var outputNames = session.OutputNames;
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, outputNames);
            return results.Select(FromOrtValue).ToList();
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static OrtValue ToOrtValue(Tensor tensor) => tensor.Type switch
    {
        ElementType.F32 => OrtValue.CreateTensorValueFromMemory(tensor.As<float>(), tensor.Shape),
        ElementType.F64 => OrtValue.CreateTensorValueFromMemory(tensor.As<double>(), tensor.Shape),
        ElementType.I64 => OrtValue.CreateTensorValueFromMemory(tensor.As<long>(), tensor.Shape),
        ElementType.I32 => OrtValue.CreateTensorValueFromMemory(tensor.As<int>(), tensor.Shape),
        ElementType.U8 => OrtValue.CreateTensorValueFromMemory(tensor.As<byte>(), tensor.Shape),
        ElementType.I8 => OrtValue.CreateTensorValueFromMemory(tensor.As<sbyte>(), tensor.Shape),
        _ => throw new NotSupportedException($"{tensor.Type.IrName()} inputs are not passed to ONNX Runtime here."),
    };

    private static Tensor FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new Tensor(ElementType.F32, shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Double => new Tensor(ElementType.F64, shape, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int64 => new Tensor(ElementType.I64, shape, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.Int32 => new Tensor(ElementType.I32, shape, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.UInt8 => new Tensor(ElementType.U8, shape, value.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Int8 => new Tensor(ElementType.I8, shape, value.GetTensorDataAsSpan<sbyte>().ToArray()),
            TensorElementType.UInt16 => new Tensor(ElementType.U16, shape, value.GetTensorDataAsSpan<ushort>().ToArray()),
            TensorElementType.Int16 => new Tensor(ElementType.I16, shape, value.GetTensorDataAsSpan<short>().ToArray()),
            var other => throw new NotSupportedException($"ONNX Runtime output of type {other} is not read here."),
        };
    }
}
