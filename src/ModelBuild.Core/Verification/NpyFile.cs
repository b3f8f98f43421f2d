using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Verification;

/// <summary>Reads NumPy .npy files (format versions 1–3, C order, little-endian): inputs for <c>verify</c>, the fixtures' samples.</summary>
public static partial class NpyFile
{
    /// <exception cref="InvalidDataException">Not a .npy file, or one in Fortran order, big-endian or of a type without an ONNX counterpart.</exception>
    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{path} is not a .npy file.");
        }

        var major = bytes[6];
        var (headerLength, headerStart) = major == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{path}: the header runs past the end of the file.");
        }

        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["fortran"].Value != "False")
        {
            throw new InvalidDataException($"{path}: unsupported header {header.Trim()} (C-order arrays only).");
        }

        var type = match.Groups["descr"].Value switch
        {
            "<f2" => ElementType.F16,
            "<f4" => ElementType.F32,
            "<f8" => ElementType.F64,
            "|i1" or "<i1" => ElementType.I8,
            "<i2" => ElementType.I16,
            "<i4" => ElementType.I32,
            "<i8" => ElementType.I64,
            "|u1" or "<u1" => ElementType.U8,
            "<u2" => ElementType.U16,
            "<u4" => ElementType.U32,
            "<u8" => ElementType.U64,
            "|b1" => ElementType.Boolean,
            var other => throw new InvalidDataException($"{path}: unsupported dtype '{other}'."),
        };
        var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();
        var payload = bytes.AsSpan(headerStart + headerLength);
        if (payload.Length < type.ByteSize(ShapeMath.ElementCount(shape)))
        {
            throw new InvalidDataException($"{path}: shape {ShapeMath.Format(shape)} needs more bytes than the file holds.");
        }

        return Tensor.FromBytes(type, shape, payload);
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']+)'.*'fortran_order':\s*(?<fortran>\w+).*'shape':\s*\((?<shape>[^)]*)\)")]
    private static partial Regex HeaderPattern();
}
