using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using ModelBuild.Core.Graph;

namespace ModelBuild.Benchmarks;

/// <summary>An ONNX Runtime session on every core (its defaults: all graph optimizations, the CPU provider), fed and read as <see cref="Tensor"/>s.</summary>
internal sealed class OnnxRuntimeSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;

    public OnnxRuntimeSession(string onnxPath)
    {
        _options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        _session = new InferenceSession(onnxPath, _options);
    }

    public Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var names = _session.InputNames.ToList();
        var values = names.Select(name => ToOrtValue(inputs[name])).ToList();
        try
        {
            using var outputs = _session.Run(new RunOptions(), names, values, _session.OutputNames);
            return _session.OutputNames.Zip(outputs).ToDictionary(pair => pair.First, pair => ToTensor(pair.Second));
        }
        finally
        {
            values.ForEach(value => value.Dispose());
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }

    private static OrtValue ToOrtValue(Tensor tensor) => tensor.Type switch
    {
        ElementType.F32 => OrtValue.CreateTensorValueFromMemory(tensor.As<float>(), tensor.Shape),
        ElementType.I64 => OrtValue.CreateTensorValueFromMemory(tensor.As<long>(), tensor.Shape),
        ElementType.I32 => OrtValue.CreateTensorValueFromMemory(tensor.As<int>(), tensor.Shape),
        _ => throw new NotSupportedException($"{tensor.Type.IrName()} inputs are not supported by the benchmark."),
    };

    private static Tensor ToTensor(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        return info.ElementDataType switch
        {
            TensorElementType.Float => new Tensor(ElementType.F32, info.Shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Int64 => new Tensor(ElementType.I64, info.Shape, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.Int32 => new Tensor(ElementType.I32, info.Shape, value.GetTensorDataAsSpan<int>().ToArray()),
            _ => throw new NotSupportedException($"{info.ElementDataType} outputs are not supported by the benchmark."),
        };
    }
}
