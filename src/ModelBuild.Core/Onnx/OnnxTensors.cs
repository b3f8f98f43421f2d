using System.Runtime.InteropServices;
using System.Text;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Onnx.Wire;
using ModelBuild.Core.Weights;
using DataType = ModelBuild.Core.Onnx.Wire.TensorProto.Types.DataType;

namespace ModelBuild.Core.Onnx;

/// <summary>
/// Turns ONNX TensorProtos into constant payloads (located bytes where possible) and into managed
/// tensors (small values, test data). Knows the ONNX element types and which field holds what.
/// </summary>
public static class OnnxTensors
{
    /// <summary>The OpenVINO element type of an ONNX data type; throws MB1009 for types OpenVINO lacks.</summary>
    public static ElementType ToElementType(int onnxType, string? what = null) => (DataType)onnxType switch
    {
        DataType.Float => ElementType.F32,
        DataType.Uint8 => ElementType.U8,
        DataType.Int8 => ElementType.I8,
        DataType.Uint16 => ElementType.U16,
        DataType.Int16 => ElementType.I16,
        DataType.Int32 => ElementType.I32,
        DataType.Int64 => ElementType.I64,
        DataType.String => ElementType.String,
        DataType.Bool => ElementType.Boolean,
        DataType.Float16 => ElementType.F16,
        DataType.Double => ElementType.F64,
        DataType.Uint32 => ElementType.U32,
        DataType.Uint64 => ElementType.U64,
        DataType.Bfloat16 => ElementType.BF16,
        DataType.Float8E4M3Fn => ElementType.F8E4M3,
        DataType.Float8E5M2 => ElementType.F8E5M2,
        DataType.Uint4 => ElementType.U4,
        DataType.Int4 => ElementType.I4,
        _ => throw new ModelBuildException(DiagnosticCode.UnsupportedElementType,
            $"ONNX element type {(DataType)onnxType} {(what is null ? "" : $"of '{what}' ")}has no OpenVINO equivalent."),
    };

    /// <summary>The ONNX data type of an OpenVINO element type.</summary>
    public static int ToOnnxType(ElementType type) => (int)(type switch
    {
        ElementType.F32 => DataType.Float,
        ElementType.U8 => DataType.Uint8,
        ElementType.I8 => DataType.Int8,
        ElementType.U16 => DataType.Uint16,
        ElementType.I16 => DataType.Int16,
        ElementType.I32 => DataType.Int32,
        ElementType.I64 => DataType.Int64,
        ElementType.String => DataType.String,
        ElementType.Boolean => DataType.Bool,
        ElementType.F16 => DataType.Float16,
        ElementType.F64 => DataType.Double,
        ElementType.U32 => DataType.Uint32,
        ElementType.U64 => DataType.Uint64,
        ElementType.BF16 => DataType.Bfloat16,
        ElementType.F8E4M3 => DataType.Float8E4M3Fn,
        ElementType.F8E5M2 => DataType.Float8E5M2,
        ElementType.U4 => DataType.Uint4,
        ElementType.I4 => DataType.Int4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No ONNX equivalent."),
    });

    /// <summary>
    /// The payload of an initializer or constant: a view of the mapped model file (located raw_data),
    /// of an external data file, the bytes a model built in memory supplies, or a small managed buffer
    /// decoded from the typed fields.
    /// </summary>
    public static ConstantPayload ToPayload(TensorProto tensor, OnnxModel model)
    {
        var type = ToElementType(tensor.DataType, tensor.Name);
        var shape = Shape(tensor);
        try
        {
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                var external = ExternalData.Resolve(tensor, model);
                return new ConstantPayload(type, shape, external);
            }

            if (model.Payload(tensor) is { } payload)
            {
                return new ConstantPayload(type, shape, payload);
            }

            return new ConstantPayload(type, shape, TensorData.FromBytes(EncodeInline(tensor, type, shape)));
        }
        catch (InferenceException error)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}': {error.Message}", model.Path);
        }
    }

    /// <summary>Decodes a tensor completely into managed memory (test data, attribute values).</summary>
    public static Tensor ToTensor(TensorProto tensor, OnnxModel? model = null)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || model?.Payload(tensor) is not null)
        {
            return ToPayload(tensor, model ?? throw new ModelBuildException(DiagnosticCode.MalformedModel,
                $"Tensor '{tensor.Name}' refers to external data, which needs the model's folder.")).GetValue();
        }

        var type = ToElementType(tensor.DataType, tensor.Name);
        var shape = Shape(tensor);
        if (type == ElementType.String)
        {
            var strings = tensor.StringData.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray();
            return new Tensor(type, shape, strings);
        }

        return Tensor.FromBytes(type, shape, EncodeInline(tensor, type, shape));
    }

    /// <summary>Encodes a tensor as a TensorProto with raw_data (for writing ONNX files and test data).</summary>
    public static TensorProto FromTensor(Tensor tensor, string name)
    {
        var proto = new TensorProto { Name = name, DataType = ToOnnxType(tensor.Type) };
        proto.Dims.AddRange(tensor.Shape);
        if (tensor.Type == ElementType.String)
        {
            proto.StringData.AddRange(tensor.As<string>().Select(Google.Protobuf.ByteString.CopyFromUtf8));
        }
        else
        {
            proto.RawData = Google.Protobuf.ByteString.CopyFrom(tensor.ToBytes());
        }

        return proto;
    }

    public static long[] Shape(TensorProto tensor)
    {
        var shape = tensor.Dims.ToArray();
        if (shape.Length > EvaluationBudget.DeclaredRankLimit)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}' has rank {shape.Length}; ModelBuild converts tensors of rank up to {EvaluationBudget.DeclaredRankLimit}.");
        }

        if (Array.Exists(shape, d => d < 0))
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}' has a negative dimension.");
        }

        try
        {
            ShapeMath.ElementCount(shape);
        }
        catch (OverflowException)
        {
            throw new ModelBuildException(DiagnosticCode.MalformedModel, $"Tensor '{tensor.Name}' has the dims {ShapeMath.Format(shape)}, whose element count does not fit in 64 bits.");
        }

        return shape;
    }

    // The bytes of an inline tensor in the IR layout, from raw_data or from the typed field ONNX uses for its type.
    private static byte[] EncodeInline(TensorProto tensor, ElementType type, long[] shape)
    {
        var count = ShapeMath.ElementCount(shape);
        if (!tensor.RawData.IsEmpty || count == 0)
        {
            var raw = tensor.RawData.ToByteArray();
            var expected = type.ByteSize(count);
            if (raw.Length != expected)
            {
                throw new InferenceException($"raw_data holds {raw.Length} bytes, {type.IrName()}{ShapeMath.Format(shape)} needs {expected}");
            }

            return raw;
        }

        var bytes = (DataType)tensor.DataType switch
        {
            DataType.Float => MemoryMarshal.AsBytes(tensor.FloatData.ToArray().AsSpan()).ToArray(),
            DataType.Double => MemoryMarshal.AsBytes(tensor.DoubleData.ToArray().AsSpan()).ToArray(),
            DataType.Int64 => MemoryMarshal.AsBytes(tensor.Int64Data.ToArray().AsSpan()).ToArray(),
            DataType.Uint64 => MemoryMarshal.AsBytes(tensor.Uint64Data.ToArray().AsSpan()).ToArray(),
            DataType.Uint32 => MemoryMarshal.AsBytes(tensor.Uint64Data.Select(v => (uint)v).ToArray().AsSpan()).ToArray(),
            DataType.Int32 => MemoryMarshal.AsBytes(tensor.Int32Data.ToArray().AsSpan()).ToArray(),
            DataType.Int16 => MemoryMarshal.AsBytes(tensor.Int32Data.Select(v => (short)v).ToArray().AsSpan()).ToArray(),
            DataType.Uint16 or DataType.Float16 or DataType.Bfloat16 =>
                MemoryMarshal.AsBytes(tensor.Int32Data.Select(v => (ushort)v).ToArray().AsSpan()).ToArray(),
            DataType.Int8 or DataType.Uint8 or DataType.Bool or DataType.Float8E4M3Fn or DataType.Float8E5M2 =>
                tensor.Int32Data.Select(v => (byte)v).ToArray(),
            DataType.Int4 or DataType.Uint4 => PackNibbles(tensor.Int32Data, count),
            _ => throw new InferenceException($"element type {type.IrName()} cannot be stored in typed fields"),
        };

        var expectedBytes = type.ByteSize(count);
        if (bytes.Length != expectedBytes)
        {
            throw new InferenceException($"holds {bytes.Length} bytes of data, {type.IrName()}{ShapeMath.Format(shape)} needs {expectedBytes}");
        }

        return bytes;
    }

    // ONNX stores 4-bit values in int32_data one element per entry; the IR packs two per byte, first in the low nibble.
    // The entries are counted before anything is allocated: the declared shape may ask for far more than the file holds.
    private static byte[] PackNibbles(Google.Protobuf.Collections.RepeatedField<int> values, long count)
    {
        if (values.Count != count)
        {
            throw new InferenceException($"int32_data holds {values.Count} values, the shape needs {count}");
        }

        var packed = new byte[(count + 1) / 2];
        for (var i = 0; i < count; i++)
        {
            packed[i / 2] |= (byte)((values[i] & 0xF) << (4 * (i % 2)));
        }

        return packed;
    }
}
