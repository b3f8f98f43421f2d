// Converts every ONNX node test OpenVINO 2022.2's own frontend wrote IR for (../shared/golden-ir/node) and prints, test
// by test, the ops of ModelBuild's IR beside the ops of OpenVINO's (layers other than Parameter, Const and Result, bodies
// included), then the totals and the exceptions listed in tests/ModelBuild.Conformance.Tests/op-count-exceptions.txt
// with their reasons. Exit code 1 when a test has more ops than OpenVINO's without being listed, or a listed test no
// longer has more (its line must go).
//
//   dotnet run --project eng/OpCountComparison [-- --target_openvino 2022.1] [--more]
//
// --target_openvino counts the IR written for that release; --more prints only the tests with more ops than OpenVINO's.

using System.Globalization;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Testing;

var target = args.SkipWhile(a => a != "--target_openvino").Skip(1).FirstOrDefault();
var onlyMore = args.Contains("--more");
var exceptions = GoldenIr.ReadExceptions();
var work = Directory.CreateTempSubdirectory("modelbuild-opcount-");
var rows = new List<Row>();
try
{
    foreach (var test in GoldenIr.NodeTests())
    {
        var xml = Path.Combine(work.FullName, test + ".xml");
        var request = ConversionRequest.FromOvcOptions(
            Path.Combine(BackendTestSuites.Folder("node", test), "model.onnx"), xml, [], [], compressToFp16: false, target);
        int? ours;
        string? failure = null;
        try
        {
            ModelConverter.Convert(request);
            ours = GoldenIr.CountOps(xml);
        }
        catch (ModelBuildException error)
        {
            ours = null;
            failure = error.Code.ToString();
        }
        finally
        {
            File.Delete(xml);
            File.Delete(Path.ChangeExtension(xml, ".bin"));
        }

        rows.Add(new Row(test, ours, GoldenIr.CountOps(GoldenIr.PathOf(test)), failure, exceptions.GetValueOrDefault(test)));
    }
}
finally
{
    work.Delete(recursive: true);
}

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"{"node test",-58} {"ModelBuild",10} {"OpenVINO",9} {"diff",6}"));
foreach (var row in rows.Where(r => !onlyMore || r.More))
{
    var ours = row.Ours?.ToString(inv) ?? "-";
    var diff = row.Ours is { } n ? (n - row.OpenVino).ToString("+0;-0;0", inv) : "";
    var note = row.Failure is not null ? $"not converted ({row.Failure})"
        : row.More ? row.Exception is null ? "MORE, NOT LISTED" : "more: listed exception"
        : row.Exception is not null ? "LISTED, NO LONGER MORE: remove its line" : "";
    Console.WriteLine(string.Create(inv, $"{row.Test,-58} {ours,10} {row.OpenVino,9} {diff,6}  {note}"));
}

var converted = rows.Where(r => r.Ours is not null).ToList();
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"{rows.Count} node tests with OpenVINO IR, {converted.Count} converted ({(target is null ? "newest release" : "target " + target)})."));
Console.WriteLine(string.Create(inv,
    $"ops: ModelBuild {converted.Sum(r => r.Ours!.Value)}, OpenVINO {converted.Sum(r => r.OpenVino)} (same tests); "
    + $"tests with fewer ops {converted.Count(r => r.Ours < r.OpenVino)}, as many {converted.Count(r => r.Ours == r.OpenVino)}, more {converted.Count(r => r.More)}."));

var listed = rows.Where(r => r.Exception is not null).ToList();
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Listed exceptions ({listed.Count}): OpenVINO's op computes something other than the ONNX operator, the exact decomposition stays."));
foreach (var row in listed)
{
    Console.WriteLine(string.Create(inv, $"  {row.Test} ({row.Ours?.ToString(inv) ?? "-"} vs {row.OpenVino}): {row.Exception}"));
}

var unlisted = rows.Where(r => r.More && r.Exception is null).Select(r => r.Test).ToList();
var stale = rows.Where(r => r.Exception is not null && r.Ours is not null && !r.More).Select(r => r.Test).ToList();
foreach (var test in unlisted)
{
    Console.Error.WriteLine($"more ops than OpenVINO's and not listed: {test}");
}

foreach (var test in stale)
{
    Console.Error.WriteLine($"listed, but no longer more ops than OpenVINO's: {test}");
}

return unlisted.Count + stale.Count > 0 ? 1 : 0;

internal sealed record Row(string Test, int? Ours, int OpenVino, string? Failure, string? Exception)
{
    public bool More => Ours > OpenVino;
}
