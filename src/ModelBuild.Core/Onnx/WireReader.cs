namespace ModelBuild.Core.Onnx;

/// <summary>Protobuf wire types (the low three bits of a field key).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// One field of a protobuf message as found on the wire: number, type, the varint value or where the
/// payload is (<paramref name="Start"/>, <paramref name="Length"/>), and where the whole field, key
/// included, begins and ends (offsets relative to the buffer's base offset).
/// </summary>
internal readonly record struct WireField(int Number, WireType Type, ulong Varint, long Start, int Length, long FieldStart, long FieldEnd);

/// <summary>
/// Walks the top-level fields of one protobuf message in a span without decoding them, so large
/// length-delimited payloads can be located instead of copied. Throws <see cref="FormatException"/>
/// on truncated or malformed input.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _baseOffset;
    private int _position;

    /// <param name="buffer">The message bytes.</param>
    /// <param name="baseOffset">Where <paramref name="buffer"/> starts in the file, for reporting locations.</param>
    public WireReader(ReadOnlySpan<byte> buffer, long baseOffset)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public bool TryRead(out WireField field)
    {
        if (_position >= _buffer.Length)
        {
            field = default;
            return false;
        }

        var fieldStart = _baseOffset + _position;
        var key = ReadVarint();
        var number = (int)(key >> 3);
        var type = (WireType)(key & 7);
        if (number <= 0)
        {
            throw new FormatException($"Invalid field number {number} at byte {_baseOffset + _position}.");
        }

        switch (type)
        {
            case WireType.Varint:
                var value = ReadVarint();
                field = new WireField(number, type, value, 0, 0, fieldStart, _baseOffset + _position);
                return true;
            case WireType.Fixed64:
                field = new WireField(number, type, 0, _baseOffset + _position, 8, fieldStart, _baseOffset + _position + 8);
                Skip(8);
                return true;
            case WireType.Fixed32:
                field = new WireField(number, type, 0, _baseOffset + _position, 4, fieldStart, _baseOffset + _position + 4);
                Skip(4);
                return true;
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > int.MaxValue || (long)length > _buffer.Length - _position)
                {
                    throw new FormatException($"Field {number} claims {length} bytes at byte {_baseOffset + _position}, past the end of its message.");
                }

                field = new WireField(number, type, 0, _baseOffset + _position, (int)length, fieldStart, _baseOffset + _position + (long)length);
                Skip((int)length);
                return true;
            default:
                throw new FormatException($"Unsupported wire type {(int)type} for field {number} at byte {_baseOffset + _position}.");
        }
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw new FormatException($"Truncated varint at byte {_baseOffset + _position}.");
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException($"Malformed varint at byte {_baseOffset + _position}.");
    }

    private void Skip(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new FormatException($"Truncated field at byte {_baseOffset + _position}.");
        }

        _position += count;
    }
}
