using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelBuild.Fuzzing.Execution;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Supervision;

/// <summary>
/// Saves findings as folders <c>&lt;kind&gt;-&lt;signature hash&gt;</c>: the input (replayable with
/// <c>Fuzzer replay</c>), <c>conversion.json</c>, and <c>finding.json</c> with the seed, the execution index,
/// the signature and the detail. One folder per signature; later hits only count.
/// </summary>
public sealed class FindingStore(string folder)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly Dictionary<string, (string Folder, int Hits)> _bySignature = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (string Folder, int Hits)> BySignature => _bySignature;

    /// <summary>Saves a new signature's input and returns its folder; null when the signature was seen before.</summary>
    public string? Save(long index, FuzzInput input, ExecutionResult result)
    {
        var key = $"{result.Finding}: {result.Signature}";
        if (_bySignature.TryGetValue(key, out var seen))
        {
            _bySignature[key] = (seen.Folder, seen.Hits + 1);
            return null;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var target = Path.Combine(folder, $"{result.Finding}-{hash}");
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        input.Save(target);
        File.WriteAllText(Path.Combine(target, "finding.json"), JsonSerializer.Serialize(new
        {
            kind = result.Finding.ToString(),
            index = index.ToString(CultureInfo.InvariantCulture),
            origin = input.Origin,
            signature = result.Signature,
            detail = result.Detail,
        }, JsonOptions));
        _bySignature[key] = (target, 1);
        return target;
    }
}
