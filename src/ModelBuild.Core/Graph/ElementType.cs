namespace ModelBuild.Core.Graph;

/// <summary>OpenVINO element types. Names in IR are given by <see cref="ElementTypes.IrName"/>.</summary>
public enum ElementType
{
    Dynamic,
    Boolean,
    BF16,
    F16,
    F32,
    F64,
    I4,
    I8,
    I16,
    I32,
    I64,
    U1,
    U4,
    U8,
    U16,
    U32,
    U64,
    F8E4M3,
    F8E5M2,
    String,
}

/// <summary>Facts about element types: sizes, families and their spellings in IR.</summary>
public static class ElementTypes
{
    private static readonly (ElementType Type, string Name, string Precision, int Bits)[] Table =
    [
        (ElementType.Dynamic, "dynamic", "UNSPECIFIED", 0),
        (ElementType.Boolean, "boolean", "BOOL", 8),
        (ElementType.BF16, "bf16", "BF16", 16),
        (ElementType.F16, "f16", "FP16", 16),
        (ElementType.F32, "f32", "FP32", 32),
        (ElementType.F64, "f64", "FP64", 64),
        (ElementType.I4, "i4", "I4", 4),
        (ElementType.I8, "i8", "I8", 8),
        (ElementType.I16, "i16", "I16", 16),
        (ElementType.I32, "i32", "I32", 32),
        (ElementType.I64, "i64", "I64", 64),
        (ElementType.U1, "u1", "BIN", 1),
        (ElementType.U4, "u4", "U4", 4),
        (ElementType.U8, "u8", "U8", 8),
        (ElementType.U16, "u16", "U16", 16),
        (ElementType.U32, "u32", "U32", 32),
        (ElementType.U64, "u64", "U64", 64),
        (ElementType.F8E4M3, "f8e4m3", "F8E4M3", 8),
        (ElementType.F8E5M2, "f8e5m2", "F8E5M2", 8),
        (ElementType.String, "string", "STRING", 0),
    ];

    /// <summary>The lower-case name used in <c>element_type</c>, <c>destination_type</c> and friends.</summary>
    public static string IrName(this ElementType type) => Table[(int)type].Name;

    /// <summary>The upper-case name used in port <c>precision</c>.</summary>
    public static string Precision(this ElementType type) => Table[(int)type].Precision;

    /// <summary>Bits per element; 0 for types without a fixed size (dynamic, string).</summary>
    public static int BitWidth(this ElementType type) => Table[(int)type].Bits;

    public static bool IsFloatingPoint(this ElementType type) =>
        type is ElementType.F16 or ElementType.BF16 or ElementType.F32 or ElementType.F64
            or ElementType.F8E4M3 or ElementType.F8E5M2;

    public static bool IsInteger(this ElementType type) =>
        type is ElementType.I4 or ElementType.I8 or ElementType.I16 or ElementType.I32 or ElementType.I64
            or ElementType.U1 or ElementType.U4 or ElementType.U8 or ElementType.U16 or ElementType.U32 or ElementType.U64;

    public static bool IsSigned(this ElementType type) =>
        type.IsFloatingPoint() || type is ElementType.I4 or ElementType.I8 or ElementType.I16 or ElementType.I32 or ElementType.I64;

    /// <summary>Numeric types: everything arithmetic ops accept (booleans and strings are not numbers).</summary>
    public static bool IsNumeric(this ElementType type) => type.IsFloatingPoint() || type.IsInteger();

    /// <summary>Bytes that <paramref name="elementCount"/> elements occupy in a .bin blob (sub-byte types are packed).</summary>
    public static long ByteSize(this ElementType type, long elementCount) =>
        (elementCount * type.BitWidth() + 7) / 8;

    /// <summary>Parses an IR element type name; accepts the lower-case names and the upper-case precisions.</summary>
    public static ElementType Parse(string text)
    {
        if (TryParse(text, out var type))
        {
            return type;
        }

        throw new FormatException($"'{text}' is not an OpenVINO element type.");
    }

    public static bool TryParse(string text, out ElementType type)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(entry.Precision, text, StringComparison.OrdinalIgnoreCase))
            {
                type = entry.Type;
                return true;
            }
        }

        // Spellings seen in older IR files.
        switch (text.ToLowerInvariant())
        {
            case "undefined":
                type = ElementType.Dynamic;
                return true;
            case "bool":
                type = ElementType.Boolean;
                return true;
            default:
                type = ElementType.Dynamic;
                return false;
        }
    }
}
