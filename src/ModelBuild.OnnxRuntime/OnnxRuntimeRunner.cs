using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Verification;
using Tensor = ModelBuild.Core.Graph.Tensor;

namespace ModelBuild.OnnxRuntime;

/// <summary>
/// ONNX Runtime (CPU) as the reference runtime. Graph optimizations are off: the reference computes each node as the
/// ONNX specification defines it, not a fused rewrite (the fixtures' expected outputs were computed the same way).
/// </summary>
public sealed class OnnxRuntimeRunner : IOnnxRunner
{
    private readonly int _threads;

    /// <param name="threads">Threads per inference; 0 lets ONNX Runtime use every core.</param>
    public OnnxRuntimeRunner(int threads = 0)
    {
        _threads = threads;
    }

    public string Name
    {
        get
        {
            try
            {
                return $"ONNX Runtime {Version}";
            }
            catch (OnnxRunException)
            {
                return "ONNX Runtime";
            }
        }
    }

    /// <summary>The version of the native library loaded (which fails with the reason when there is none for this platform).</summary>
    public static string Version
    {
        get
        {
            try
            {
                return OrtEnv.Instance().GetVersionString();
            }
            catch (Exception error) when (error is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                // The loader lists every path it tried; its first line says what is missing.
                var reason = error.GetBaseException().Message.Split('\n')[0].Trim();
                throw new OnnxRunException(
                    $"its native library (libonnxruntime) cannot be loaded: this modelconvert package carries none for this platform; "
                    + $"install ONNX Runtime 1.32 so that the library is on the library path ({reason})", error);
            }
        }
    }

    public IOnnxSession Load(string onnxPath)
    {
        _ = Version;
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            IntraOpNumThreads = _threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        try
        {
            return new Session(new InferenceSession(onnxPath, options), options);
        }
        catch (OnnxRuntimeException error)
        {
            options.Dispose();
            throw new OnnxRunException(Plain(error.Message), error);
        }
    }

    // ONNX Runtime prefixes its messages with the status code in brackets; the user needs the sentence.
    private static string Plain(string message) =>
        message.StartsWith('[') && message.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? message[(end + 2)..] : message;

    private sealed class Session(InferenceSession session, SessionOptions options) : IOnnxSession
    {
        public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string> outputNames)
        {
            var names = inputs.Keys.ToList();
            var values = new List<OrtValue>(names.Count);
            try
            {
                foreach (var name in names)
                {
                    values.Add(ToOrtValue(inputs[name]));
                }

                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, names, values, outputNames);
                var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                for (var i = 0; i < outputNames.Count; i++)
                {
                    outputs[outputNames[i]] = FromOrtValue(outputNames[i], results[i]);
                }

                return outputs;
            }
            catch (OnnxRuntimeException error)
            {
                throw new OnnxRunException(Plain(error.Message), error);
            }
            finally
            {
                foreach (var value in values)
                {
                    value.Dispose();
                }
            }
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }

        private static OrtValue ToOrtValue(Tensor tensor)
        {
            if (tensor.Type == ElementType.String)
            {
                var strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
                var data = tensor.As<string>();
                for (var i = 0; i < data.Length; i++)
                {
                    strings.StringTensorSetElementAt(data[i], i);
                }

                return strings;
            }

            var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)OnnxTensors.ToOnnxType(tensor.Type), tensor.Shape);
            tensor.ToBytes().CopyTo(value.GetTensorMutableRawData());
            return value;
        }

        private static Tensor FromOrtValue(string name, OrtValue value)
        {
            if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
            {
                throw new OnnxRunException($"Output '{name}' is {value.OnnxType}, not a tensor; verification compares tensors.");
            }

            var info = value.GetTensorTypeAndShape();
            var type = OnnxTensors.ToElementType((int)info.ElementDataType, name);
            return type == ElementType.String
                ? new Tensor(type, info.Shape, value.GetStringTensorAsArray())
                : Tensor.FromBytes(type, info.Shape, value.GetTensorMutableRawData());
        }
    }
}
