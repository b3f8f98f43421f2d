using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelBuild.Core.Graph;

/// <summary>
/// A concrete value held in managed memory: element type, static shape and a typed array of the
/// elements in row-major order. Used for constants small enough to fold, for the reference evaluator
/// and for test data. Large weights never become Tensors; they stay <see cref="Weights.TensorData"/>.
/// </summary>
/// <remarks>
/// Storage per element type: boolean → bool[], bf16 → BFloat16[], f16 → Half[], f32 → float[],
/// f64 → double[], i4/i8 → sbyte[], i16 → short[], i32 → int[], i64 → long[], u1/u4/u8 and the
/// f8 types → byte[] (sub-byte types one element per byte), u16 → ushort[], u32 → uint[],
/// u64 → ulong[], string → string[].
/// </remarks>
public sealed class Tensor
{
    public Tensor(ElementType type, long[] shape, Array data)
    {
        var expectedClrType = StorageType(type);
        if (data.GetType().GetElementType() != expectedClrType)
        {
            throw new ArgumentException($"Element type {type.IrName()} is stored as {expectedClrType.Name}[], not {data.GetType().Name}.", nameof(data));
        }

        var count = ShapeMath.ElementCount(shape);
        if (data.LongLength != count)
        {
            throw new ArgumentException($"Shape {ShapeMath.Format(shape)} holds {count} elements but {data.LongLength} were given.", nameof(data));
        }

        Type = type;
        Shape = shape;
        Data = data;
    }

    public ElementType Type { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    public int Rank => Shape.Length;

    public long ElementCount => Data.LongLength;

    public PartialShape PartialShape => PartialShape.Static(Shape);

    /// <summary>The CLR element type that stores values of <paramref name="type"/>.</summary>
    public static Type StorageType(ElementType type) => NewStorage(type, 0).GetType().GetElementType()!;

    /// <summary>
    /// A new zeroed storage array for <paramref name="length"/> values of <paramref name="type"/>. Typed allocations,
    /// not Array.CreateInstance: the tool is compiled ahead of time, where arrays of a runtime-chosen type may not exist.
    /// </summary>
    public static Array NewStorage(ElementType type, long length) => type switch
    {
        ElementType.Boolean => new bool[length],
        ElementType.BF16 => new BFloat16[length],
        ElementType.F16 => new Half[length],
        ElementType.F32 => new float[length],
        ElementType.F64 => new double[length],
        ElementType.I4 or ElementType.I8 => new sbyte[length],
        ElementType.I16 => new short[length],
        ElementType.I32 => new int[length],
        ElementType.I64 => new long[length],
        ElementType.U1 or ElementType.U4 or ElementType.U8 or ElementType.F8E4M3 or ElementType.F8E5M2 => new byte[length],
        ElementType.U16 => new ushort[length],
        ElementType.U32 => new uint[length],
        ElementType.U64 => new ulong[length],
        ElementType.String => new string[length],
        _ => throw new NotSupportedException($"Element type {type.IrName()} has no storage."),
    };

    public static Tensor Zeros(ElementType type, params long[] shape)
    {
        var data = NewStorage(type, ShapeMath.ElementCount(shape));
        if (type == ElementType.String)
        {
            Array.Fill((string[])data, string.Empty);
        }

        return new Tensor(type, shape, data);
    }

    public static Tensor FromArray(float[] values, params long[] shape) => new(ElementType.F32, ShapeOrVector(shape, values.Length), values);

    public static Tensor FromArray(double[] values, params long[] shape) => new(ElementType.F64, ShapeOrVector(shape, values.Length), values);

    public static Tensor FromArray(long[] values, params long[] shape) => new(ElementType.I64, ShapeOrVector(shape, values.Length), values);

    public static Tensor FromArray(int[] values, params long[] shape) => new(ElementType.I32, ShapeOrVector(shape, values.Length), values);

    public static Tensor FromArray(bool[] values, params long[] shape) => new(ElementType.Boolean, ShapeOrVector(shape, values.Length), values);

    /// <summary>A rank-0 tensor of <paramref name="type"/> holding <paramref name="value"/> converted to that type.</summary>
    public static Tensor Scalar(ElementType type, double value) => FromDoubles(type, [value], []);

    /// <summary>A tensor of <paramref name="type"/> built from doubles (converted with the rules of <see cref="ConvertTo"/>).</summary>
    public static Tensor FromDoubles(ElementType type, double[] values, long[] shape) =>
        new Tensor(ElementType.F64, shape, values).ConvertTo(type);

    /// <summary>A tensor of <paramref name="type"/> built from 64-bit integers.</summary>
    public static Tensor FromInt64s(ElementType type, long[] values, long[] shape) =>
        new Tensor(ElementType.I64, shape, values).ConvertTo(type);

    public T[] As<T>() => (T[])Data;

    public Tensor Reshape(params long[] shape) => new(Type, shape, Data);

    /// <summary>The elements as 64-bit integers (floats truncate toward zero, booleans are 0/1).</summary>
    public long[] ToInt64Array() => Type == ElementType.I64 ? (long[])Data : Collect(GetInt64);

    /// <summary>The elements as doubles (booleans are 0/1).</summary>
    public double[] ToDoubleArray() => IsPlainNumber(Type) ? ConvertTo(ElementType.F64).As<double>() : Collect(GetDouble);

    public double GetDouble(long index) => Type switch
    {
        ElementType.Boolean => ((bool[])Data)[index] ? 1 : 0,
        ElementType.BF16 => ((BFloat16[])Data)[index].ToSingle(),
        ElementType.F16 => (double)((Half[])Data)[index],
        ElementType.F32 => ((float[])Data)[index],
        ElementType.F64 => ((double[])Data)[index],
        ElementType.I4 or ElementType.I8 => ((sbyte[])Data)[index],
        ElementType.I16 => ((short[])Data)[index],
        ElementType.I32 => ((int[])Data)[index],
        ElementType.I64 => ((long[])Data)[index],
        ElementType.U1 or ElementType.U4 or ElementType.U8 => ((byte[])Data)[index],
        ElementType.U16 => ((ushort[])Data)[index],
        ElementType.U32 => ((uint[])Data)[index],
        ElementType.U64 => ((ulong[])Data)[index],
        ElementType.String => double.Parse(((string[])Data)[index], CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"{Type.IrName()} values cannot be read as numbers."),
    };

    public long GetInt64(long index) => Type switch
    {
        ElementType.Boolean => ((bool[])Data)[index] ? 1 : 0,
        ElementType.I4 or ElementType.I8 => ((sbyte[])Data)[index],
        ElementType.I16 => ((short[])Data)[index],
        ElementType.I32 => ((int[])Data)[index],
        ElementType.I64 => ((long[])Data)[index],
        ElementType.U1 or ElementType.U4 or ElementType.U8 => ((byte[])Data)[index],
        ElementType.U16 => ((ushort[])Data)[index],
        ElementType.U32 => ((uint[])Data)[index],
        ElementType.U64 => unchecked((long)((ulong[])Data)[index]),
        _ => FloatToInt64(GetDouble(index)),
    };

    /// <summary>
    /// Converts to another element type like OpenVINO's Convert: floats to integers truncate toward
    /// zero (NaN gives 0) and wrap like a C cast of the truncated value, anything to boolean is "not zero",
    /// integers wrap when narrowed.
    /// </summary>
    public Tensor ConvertTo(ElementType target)
    {
        if (target == Type)
        {
            return this;
        }

        var count = checked((int)ElementCount);
        Array data;
        if (target == ElementType.String)
        {
            var strings = new string[count];
            for (var i = 0; i < count; i++)
            {
                strings[i] = FormatElement(i);
            }

            data = strings;
        }
        else if (IsPlainNumber(Type) && IsPlainNumber(target))
        {
            data = ConvertNumbers(Type, Data, target);
        }
        else if (target.IsFloatingPoint() || Type.IsFloatingPoint() || Type == ElementType.String)
        {
            data = ConvertFromDoubles(target, count, i => GetDouble(i));
        }
        else
        {
            data = ConvertFromInt64s(target, count, i => GetInt64(i));
        }

        return new Tensor(target, Shape, data);
    }

    /// <summary>Element <paramref name="index"/> as text (used for string conversion and messages).</summary>
    public string FormatElement(long index) => Type switch
    {
        ElementType.String => ((string[])Data)[index],
        ElementType.Boolean => ((bool[])Data)[index] ? "true" : "false",
        ElementType.U64 => ((ulong[])Data)[index].ToString(CultureInfo.InvariantCulture),
        _ when Type.IsFloatingPoint() => GetDouble(index).ToString("R", CultureInfo.InvariantCulture),
        _ => GetInt64(index).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A tensor of <paramref name="shape"/> whose element i is element <c>sourceIndices[i]</c> of this
    /// one: the building block of every data-movement kernel (transpose, gather, slice, tile, ...).
    /// </summary>
    public Tensor Remap(long[] shape, int[] sourceIndices) => new(Type, shape, RemapArray(Type, Data, sourceIndices));

    /// <summary>Concatenates the flat data of tensors of one element type (shape given by the caller).</summary>
    public static Tensor ConcatenateFlat(ElementType type, long[] shape, IReadOnlyList<Tensor> parts)
    {
        var data = NewStorage(type, ShapeMath.ElementCount(shape));
        long offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part.Data, 0, data, offset, part.ElementCount);
            offset += part.ElementCount;
        }

        return new Tensor(type, shape, data);
    }

    // Dispatch on the element type, never on the array's runtime type: the CLR lets a byte[] pass as sbyte[].
    private static Array RemapArray(ElementType type, Array data, int[] map) => type switch
    {
        ElementType.Boolean => Remap((bool[])data, map),
        ElementType.BF16 => Remap((BFloat16[])data, map),
        ElementType.F16 => Remap((Half[])data, map),
        ElementType.F32 => Remap((float[])data, map),
        ElementType.F64 => Remap((double[])data, map),
        ElementType.I4 or ElementType.I8 => Remap((sbyte[])data, map),
        ElementType.I16 => Remap((short[])data, map),
        ElementType.I32 => Remap((int[])data, map),
        ElementType.I64 => Remap((long[])data, map),
        ElementType.U1 or ElementType.U4 or ElementType.U8 or ElementType.F8E4M3 or ElementType.F8E5M2 => Remap((byte[])data, map),
        ElementType.U16 => Remap((ushort[])data, map),
        ElementType.U32 => Remap((uint[])data, map),
        ElementType.U64 => Remap((ulong[])data, map),
        ElementType.String => Remap((string[])data, map),
        _ => throw new NotSupportedException(type.IrName()),
    };

    private static T[] Remap<T>(T[] source, int[] map)
    {
        var result = new T[map.Length];
        for (var i = 0; i < map.Length; i++)
        {
            result[i] = source[map[i]];
        }

        return result;
    }

    // ---- Binary encoding: the layout of ONNX raw_data and of IR .bin blobs (little-endian). ----

    /// <summary>Decodes little-endian bytes; sub-byte types are packed with the first element in the low bits.</summary>
    public static Tensor FromBytes(ElementType type, long[] shape, ReadOnlySpan<byte> bytes)
    {
        var count = checked((int)ShapeMath.ElementCount(shape));
        Array data;
        switch (type)
        {
            case ElementType.Boolean:
                var bools = new bool[count];
                for (var i = 0; i < count; i++)
                {
                    bools[i] = bytes[i] != 0;
                }

                data = bools;
                break;
            case ElementType.U1:
                var bits = new byte[count];
                for (var i = 0; i < count; i++)
                {
                    bits[i] = (byte)((bytes[i / 8] >> (7 - (i % 8))) & 1);
                }

                data = bits;
                break;
            case ElementType.U4:
                var nibbles = new byte[count];
                for (var i = 0; i < count; i++)
                {
                    nibbles[i] = (byte)((bytes[i / 2] >> (4 * (i % 2))) & 0xF);
                }

                data = nibbles;
                break;
            case ElementType.I4:
                var signedNibbles = new sbyte[count];
                for (var i = 0; i < count; i++)
                {
                    var nibble = (bytes[i / 2] >> (4 * (i % 2))) & 0xF;
                    signedNibbles[i] = (sbyte)(nibble >= 8 ? nibble - 16 : nibble);
                }

                data = signedNibbles;
                break;
            case ElementType.String:
                data = DecodeStrings(bytes, count);
                break;
            default:
                data = NewStorage(type, count);
                var byteCount = checked(count * (type.BitWidth() / 8));
                if (bytes.Length < byteCount)
                {
                    throw new ArgumentException($"{byteCount} bytes are needed for {count} {type.IrName()} elements but {bytes.Length} were given.");
                }

                bytes[..byteCount].CopyTo(AsSpanOfStorage(type, data));
                break;
        }

        return new Tensor(type, shape, data);
    }

    /// <summary>The bytes of this tensor in the IR .bin layout.</summary>
    public byte[] ToBytes()
    {
        switch (Type)
        {
            case ElementType.Boolean:
                return Array.ConvertAll(As<bool>(), b => b ? (byte)1 : (byte)0);
            case ElementType.U1:
                var bits = new byte[Type.ByteSize(ElementCount)];
                var ones = As<byte>();
                for (var i = 0; i < ones.Length; i++)
                {
                    if (ones[i] != 0)
                    {
                        bits[i / 8] |= (byte)(1 << (7 - (i % 8)));
                    }
                }

                return bits;
            case ElementType.U4:
            case ElementType.I4:
                var packed = new byte[Type.ByteSize(ElementCount)];
                for (var i = 0; i < ElementCount; i++)
                {
                    var nibble = (int)(GetInt64(i) & 0xF);
                    packed[i / 2] |= (byte)(nibble << (4 * (i % 2)));
                }

                return packed;
            case ElementType.String:
                return EncodeStrings(As<string>());
            default:
                return AsSpanOfStorage(Type, Data).ToArray();
        }
    }

    public override string ToString()
    {
        var preview = string.Join(", ", Enumerable.Range(0, (int)Math.Min(ElementCount, 8)).Select(i => FormatElement(i)));
        return $"{Type.IrName()}{ShapeMath.Format(Shape)} {{{preview}{(ElementCount > 8 ? ", ..." : "")}}}";
    }

    private T[] Collect<T>(Func<long, T> element)
    {
        var result = new T[ElementCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = element(i);
        }

        return result;
    }

    private static long[] ShapeOrVector(long[] shape, int length) => shape.Length == 0 && length != 1 ? [length] : shape;

    private static long FloatToInt64(double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        var truncated = Math.Truncate(value);
        if (truncated >= 9.2233720368547758E18)
        {
            // Values in [2^63, 2^64) are meaningful for u64 targets: keep their bit pattern.
            return truncated < 1.8446744073709552E19 ? unchecked((long)(ulong)truncated) : long.MaxValue;
        }

        return truncated <= -9.2233720368547758E18 ? long.MinValue : (long)truncated;
    }

    // Types whose storage holds exactly their values, so a conversion is one typed loop: not the sub-byte types
    // (stored a byte per element, converted with their own wrapping), bf16, the f8 types, boolean or string.
    private static bool IsPlainNumber(ElementType type) => type is ElementType.F16 or ElementType.F32 or ElementType.F64
        or ElementType.I8 or ElementType.I16 or ElementType.I32 or ElementType.I64
        or ElementType.U8 or ElementType.U16 or ElementType.U32 or ElementType.U64;

    // Dispatch on the element type, never on the array's runtime type: the CLR lets a byte[] pass as sbyte[].
    private static Array ConvertNumbers(ElementType type, Array data, ElementType target) => type switch
    {
        ElementType.F16 => ConvertNumbers((Half[])data, target),
        ElementType.F32 => ConvertNumbers((float[])data, target),
        ElementType.F64 => ConvertNumbers((double[])data, target),
        ElementType.I8 => ConvertNumbers((sbyte[])data, target),
        ElementType.I16 => ConvertNumbers((short[])data, target),
        ElementType.I32 => ConvertNumbers((int[])data, target),
        ElementType.I64 => ConvertNumbers((long[])data, target),
        ElementType.U8 => ConvertNumbers((byte[])data, target),
        ElementType.U16 => ConvertNumbers((ushort[])data, target),
        ElementType.U32 => ConvertNumbers((uint[])data, target),
        _ => ConvertNumbers((ulong[])data, target),
    };

    private static Array ConvertNumbers<TFrom>(TFrom[] data, ElementType target)
        where TFrom : unmanaged, INumber<TFrom> => target switch
        {
            ElementType.F16 => ConvertNumbers<TFrom, Half>(data),
            ElementType.F32 => ConvertNumbers<TFrom, float>(data),
            ElementType.F64 => ConvertNumbers<TFrom, double>(data),
            ElementType.I8 => ConvertNumbers<TFrom, sbyte>(data),
            ElementType.I16 => ConvertNumbers<TFrom, short>(data),
            ElementType.I32 => ConvertNumbers<TFrom, int>(data),
            ElementType.I64 => ConvertNumbers<TFrom, long>(data),
            ElementType.U8 => ConvertNumbers<TFrom, byte>(data),
            ElementType.U16 => ConvertNumbers<TFrom, ushort>(data),
            ElementType.U32 => ConvertNumbers<TFrom, uint>(data),
            _ => ConvertNumbers<TFrom, ulong>(data),
        };

    // The rules of ConvertTo, one typed loop per pair: through double when a float is involved (floats to integers
    // truncate, then wrap), through a 64-bit two's complement value between integers (narrowing wraps).
    private static TTo[] ConvertNumbers<TFrom, TTo>(TFrom[] source)
        where TFrom : unmanaged, INumber<TFrom>
        where TTo : unmanaged, INumber<TTo>
    {
        var result = new TTo[source.Length];
        var fromFloat = typeof(TFrom) == typeof(float) || typeof(TFrom) == typeof(double) || typeof(TFrom) == typeof(Half);
        var toFloat = typeof(TTo) == typeof(float) || typeof(TTo) == typeof(double) || typeof(TTo) == typeof(Half);
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = toFloat ? TTo.CreateTruncating(double.CreateTruncating(source[i]))
                : fromFloat ? TTo.CreateTruncating(FloatToInt64(double.CreateTruncating(source[i])))
                : TTo.CreateTruncating(long.CreateTruncating(source[i]));
        }

        return result;
    }

    private static Array ConvertFromDoubles(ElementType target, int count, Func<int, double> get)
    {
        switch (target)
        {
            case ElementType.Boolean:
                return Fill(count, i => get(i) != 0);
            case ElementType.BF16:
                return Fill(count, i => BFloat16.FromSingle((float)get(i)));
            case ElementType.F16:
                return Fill(count, i => (Half)get(i));
            case ElementType.F32:
                return Fill(count, i => (float)get(i));
            case ElementType.F64:
                return Fill(count, get);
            default:
                return ConvertFromInt64s(target, count, i => FloatToInt64(get(i)));
        }
    }

    private static Array ConvertFromInt64s(ElementType target, int count, Func<int, long> get) => target switch
    {
        ElementType.Boolean => Fill(count, i => get(i) != 0),
        ElementType.BF16 => Fill(count, i => BFloat16.FromSingle(get(i))),
        ElementType.F16 => Fill(count, i => (Half)get(i)),
        ElementType.F32 => Fill(count, i => (float)get(i)),
        ElementType.F64 => Fill(count, i => (double)get(i)),
        ElementType.I4 => Fill(count, i => (sbyte)((((int)get(i) & 0xF) ^ 8) - 8)),
        ElementType.I8 => Fill(count, i => unchecked((sbyte)get(i))),
        ElementType.I16 => Fill(count, i => unchecked((short)get(i))),
        ElementType.I32 => Fill(count, i => unchecked((int)get(i))),
        ElementType.I64 => Fill(count, get),
        ElementType.U1 => Fill(count, i => get(i) != 0 ? (byte)1 : (byte)0),
        ElementType.U4 => Fill(count, i => (byte)(get(i) & 0xF)),
        ElementType.U8 => Fill(count, i => unchecked((byte)get(i))),
        ElementType.U16 => Fill(count, i => unchecked((ushort)get(i))),
        ElementType.U32 => Fill(count, i => unchecked((uint)get(i))),
        ElementType.U64 => Fill(count, i => unchecked((ulong)get(i))),
        _ => throw new NotSupportedException($"Conversion to {target.IrName()} is not supported."),
    };

    private static T[] Fill<T>(int count, Func<int, T> value)
    {
        var result = new T[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = value(i);
        }

        return result;
    }

    private static Span<byte> AsSpanOfStorage(ElementType type, Array data) => type switch
    {
        ElementType.BF16 => MemoryMarshal.AsBytes(((BFloat16[])data).AsSpan()),
        ElementType.F16 => MemoryMarshal.AsBytes(((Half[])data).AsSpan()),
        ElementType.F32 => MemoryMarshal.AsBytes(((float[])data).AsSpan()),
        ElementType.F64 => MemoryMarshal.AsBytes(((double[])data).AsSpan()),
        ElementType.I4 or ElementType.I8 => MemoryMarshal.AsBytes(((sbyte[])data).AsSpan()),
        ElementType.I16 => MemoryMarshal.AsBytes(((short[])data).AsSpan()),
        ElementType.I32 => MemoryMarshal.AsBytes(((int[])data).AsSpan()),
        ElementType.I64 => MemoryMarshal.AsBytes(((long[])data).AsSpan()),
        ElementType.U1 or ElementType.U4 or ElementType.U8 or ElementType.F8E4M3 or ElementType.F8E5M2 => ((byte[])data).AsSpan(),
        ElementType.U16 => MemoryMarshal.AsBytes(((ushort[])data).AsSpan()),
        ElementType.U32 => MemoryMarshal.AsBytes(((uint[])data).AsSpan()),
        ElementType.U64 => MemoryMarshal.AsBytes(((ulong[])data).AsSpan()),
        _ => throw new NotSupportedException($"{type.IrName()} has no fixed-size byte layout."),
    };

    // OpenVINO string blob: int32 count, count+1 int32 end offsets (first 0), then the UTF-8 bytes.
    private static byte[] EncodeStrings(string[] values)
    {
        var encoded = Array.ConvertAll(values, Encoding.UTF8.GetBytes);
        var header = new int[values.Length + 2];
        header[0] = values.Length;
        for (var i = 0; i < encoded.Length; i++)
        {
            header[i + 2] = header[i + 1] + encoded[i].Length;
        }

        using var stream = new MemoryStream();
        stream.Write(MemoryMarshal.AsBytes(header.AsSpan()));
        foreach (var item in encoded)
        {
            stream.Write(item);
        }

        return stream.ToArray();
    }

    private static string[] DecodeStrings(ReadOnlySpan<byte> bytes, int count)
    {
        var header = MemoryMarshal.Cast<byte, int>(bytes[..(4 * (count + 2))]);
        if (header[0] != count)
        {
            throw new ArgumentException($"The string blob holds {header[0]} strings, {count} were expected.");
        }

        var characters = bytes[(4 * (count + 2))..];
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Encoding.UTF8.GetString(characters[header[i + 1]..header[i + 2]]);
        }

        return result;
    }
}
