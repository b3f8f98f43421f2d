using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx;
using ModelBuild.Core.Onnx.Wire;

namespace ModelBuild.Core.Verification;

/// <summary>The tensors of a backend-test data set: <c>input_N.pb</c> and <c>output_N.pb</c>, serialized TensorProtos carrying their graph names.</summary>
public static class BackendTestData
{
    /// <summary>Reads one tensor file: its name and value.</summary>
    public static (string Name, Tensor Value) ReadTensor(string path)
    {
        var proto = OnnxModelReader.ParseFile(path, TensorProto.Parser);
        return (proto.Name, OnnxTensors.ToTensor(proto));
    }

    /// <summary>Reads <c>{prefix}_0.pb</c>, <c>{prefix}_1.pb</c>, ... until one is missing.</summary>
    public static List<(string Name, Tensor Value)> ReadNumbered(string dataSet, string prefix)
    {
        var list = new List<(string, Tensor)>();
        for (var i = 0; File.Exists(Path.Combine(dataSet, $"{prefix}_{i}.pb")); i++)
        {
            list.Add(ReadTensor(Path.Combine(dataSet, $"{prefix}_{i}.pb")));
        }

        return list;
    }

    /// <summary>ONNX 1.12 wrote bfloat16 test data as uint16 tensors holding the bits (NumPy has no bfloat16): reads them as bf16 where bf16 is wanted.</summary>
    public static Tensor AsLegacyBfloat16(Tensor value, ElementType wanted) =>
        wanted == ElementType.BF16 && value.Type == ElementType.U16
            ? new Tensor(ElementType.BF16, value.Shape, Array.ConvertAll(value.As<ushort>(), bits => new BFloat16(bits)))
            : value;
}
