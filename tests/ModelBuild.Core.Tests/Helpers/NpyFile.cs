using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelBuild.Core.Graph;

namespace ModelBuild.Core.Tests.Helpers;

/// <summary>Reads NumPy .npy files (format versions 1–3, C order): the fixtures' sample inputs and expected outputs.</summary>
public static partial class NpyFile
{
    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY" || bytes[0] != 0x93)
        {
            throw new InvalidDataException($"{path} is not a .npy file.");
        }

        var major = bytes[6];
        var (headerLength, headerStart) = major == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["fortran"].Value != "False")
        {
            throw new InvalidDataException($"{path}: unsupported header {header}");
        }

        var type = match.Groups["descr"].Value switch
        {
            "<f4" => ElementType.F32,
            "<f8" => ElementType.F64,
            "<i8" => ElementType.I64,
            "<i4" => ElementType.I32,
            "|b1" => ElementType.Boolean,
            var other => throw new InvalidDataException($"{path}: unsupported dtype {other}"),
        };
        var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        return Tensor.FromBytes(type, shape, bytes.AsSpan(headerStart + headerLength));
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']+)'.*'fortran_order':\s*(?<fortran>\w+).*'shape':\s*\((?<shape>[^)]*)\)")]
    private static partial Regex HeaderPattern();
}
