using System.Diagnostics;
using System.Globalization;
using ModelBuild.Benchmarks;

// Usage:
//   LargeModelBenchmark run --tool <modelconvert.dll or native modelconvert> [--size-gib 1] [--layer-mib 16] [--embedded] [--repeat 5] [--work <folder>]
//   LargeModelBenchmark memory --tool <modelconvert.dll> [--sizes-gib 0.0625,0.25,1,3] [--layers-mib 1,16,256] [--work <folder>] [--keep]
//   LargeModelBenchmark copy <source> <destination>      (the baseline: a plain streamed copy)
// "run" measures, side by side in one run and alternating, (a) a plain copy of the model's bytes, (b) the
// conversion with FP16 compression and (c) without it; it prints median times, the ratios b/a and c/a, and
// the peak resident memory of each conversion (GNU time's "maximum resident set size").
// "memory" converts one model of every size and layer size, with and without FP16 compression, and prints a
// Markdown table of peak resident memory; the models are deleted afterwards unless --keep is given.
if (args.Length >= 3 && args[0] == "copy")
{
    Copy(args[1], args[2]);
    return 0;
}

if (args.Length == 0 || args[0] is not ("run" or "memory"))
{
    Console.Error.WriteLine("usage: LargeModelBenchmark run --tool <modelconvert.dll> [--size-gib N] [--layer-mib N] [--embedded] [--repeat N] [--work DIR]");
    Console.Error.WriteLine("       LargeModelBenchmark memory --tool <modelconvert.dll> [--sizes-gib A,B,...] [--layers-mib A,B,...] [--work DIR] [--keep]");
    return 2;
}

var tool = Option("--tool") ?? throw new ArgumentException("--tool <path to modelconvert.dll> is required");
var work = Option("--work") ?? Path.Combine(Path.GetTempPath(), "modelbuild-benchmark");
if (args[0] == "memory")
{
    MemorySweep(tool, work, Numbers(Option("--sizes-gib") ?? "0.0625,0.25,1,3"), Numbers(Option("--layers-mib") ?? "1,16,256"), args.Contains("--keep"));
    return 0;
}

var size = double.Parse(Option("--size-gib") ?? "1", CultureInfo.InvariantCulture);
var layerSize = double.Parse(Option("--layer-mib") ?? "16", CultureInfo.InvariantCulture);
var repeat = int.Parse(Option("--repeat") ?? "5", CultureInfo.InvariantCulture);
var embedded = args.Contains("--embedded");

Console.WriteLine($"Generating (or reusing) a {size} GiB {(embedded ? "embedded-weight" : "external-data")} model of {layerSize} MiB layers in {work} ...");
var model = SyntheticModel.Create(work, size, layerSize, embedded);
var inputBytes = Directory.GetFiles(Path.GetDirectoryName(model)!).Sum(f => new FileInfo(f).Length);
var outputFolder = Path.Combine(work, "out");
if (Directory.Exists(outputFolder))
{
    Directory.Delete(outputFolder, recursive: true);
}

Directory.CreateDirectory(outputFolder);
var self = typeof(SyntheticModel).Assembly.Location;

// The copy reads the same input bytes and writes a file as large as the FP32 IR.
var weightsFile = embedded ? model : Path.Combine(Path.GetDirectoryName(model)!, "weights.data");
var variants = new (string Name, string[] Arguments)[]
{
    ("a copy", ["dotnet", self, "copy", weightsFile, Path.Combine(outputFolder, "copy.bin")]),
    ("b fp16", [.. ToolCommand(tool), model, "--output_model", Path.Combine(outputFolder, "fp16.xml"), "--quiet"]),
    ("c fp32", [.. ToolCommand(tool), model, "--output_model", Path.Combine(outputFolder, "fp32.xml"), "--compress_to_fp16=False", "--quiet"]),
};
var runs = variants.ToDictionary(v => v.Name, _ => new List<Measurement>());
// Every variant replaces its own output of the previous round (the copy truncates it, the converter
// renames over it), so each pays the same for freeing old blocks; bulk deletes between runs would
// land their deferred work on whichever run comes next.
for (var i = 0; i < repeat; i++)
{
    // The order rotates every round, so no variant always runs right after a particular other one.
    for (var k = 0; k < variants.Length; k++)
    {
        var (name, arguments) = variants[(i + k) % variants.Length];
        runs[name].Add(Measure(arguments[0], arguments[1..]));
    }
}

var median = runs.ToDictionary(r => r.Key, r => r.Value.OrderBy(m => m.Seconds).ElementAt(r.Value.Count / 2));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {inputBytes / 1073741824.0:F2} GiB; {repeat} alternating runs each; medians:"));
foreach (var (name, m) in median)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({name,-7}) {m.Seconds,7:F2} s   peak RSS {m.PeakKilobytes / 1024.0,7:F0} MiB   (all runs: {string.Join(", ", runs[name].Select(r => r.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} s)"));
}

var best = runs.ToDictionary(r => r.Key, r => r.Value.Min(m => m.Seconds));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  medians: b/a = {median["b fp16"].Seconds / median["a copy"].Seconds:F2}   c/a = {median["c fp32"].Seconds / median["a copy"].Seconds:F2}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  best runs: b/a = {best["b fp16"] / best["a copy"]:F2}   c/a = {best["c fp32"] / best["a copy"]:F2}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  IR sizes: fp16 {new FileInfo(Path.Combine(outputFolder, "fp16.bin")).Length / 1048576.0:F0} MiB, fp32 {new FileInfo(Path.Combine(outputFolder, "fp32.bin")).Length / 1048576.0:F0} MiB"));
return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

// The tool as built (modelconvert.dll, run by dotnet) or as published (a native executable).
static string[] ToolCommand(string tool) => tool.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", tool] : [tool];

static double[] Numbers(string list) => [.. list.Split(',').Select(n => double.Parse(n, CultureInfo.InvariantCulture))];

// One conversion per model, FP16 and FP32, each starting synced; rows are model sizes, columns layer sizes.
static void MemorySweep(string tool, string work, double[] sizes, double[] layers, bool keep)
{
    var output = Path.Combine(work, "out");
    Directory.CreateDirectory(output);
    var rows = new List<string>();
    var worst = 0L;
    foreach (var size in sizes)
    {
        var cells = new List<string>();
        foreach (var layer in layers)
        {
            var model = SyntheticModel.Create(work, size, layer, embedded: false);
            var inputBytes = Directory.GetFiles(Path.GetDirectoryName(model)!).Sum(f => new FileInfo(f).Length);
            string[] convert = [.. ToolCommand(tool)[1..], model, "--output_model"];
            var fp16 = Measure(ToolCommand(tool)[0], [.. convert, Path.Combine(output, "fp16.xml"), "--quiet"]);
            var fp32 = Measure(ToolCommand(tool)[0], [.. convert, Path.Combine(output, "fp32.xml"), "--compress_to_fp16=False", "--quiet"]);
            worst = Math.Max(worst, Math.Max(fp16.PeakKilobytes, fp32.PeakKilobytes));
            cells.Add(string.Create(CultureInfo.InvariantCulture, $"{fp16.PeakKilobytes / 1024.0:F0} / {fp32.PeakKilobytes / 1024.0:F0} ({inputBytes / 1048576.0:F0} MiB in)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {size} GiB, {layer} MiB layers: {cells[^1]}; {fp16.Seconds:F2} s / {fp32.Seconds:F2} s"));
            if (!keep)
            {
                Directory.Delete(Path.GetDirectoryName(model)!, recursive: true);
            }
        }

        rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {size * 1024:0} MiB | {string.Join(" | ", cells)} |"));
    }

    Directory.Delete(output, recursive: true);
    Console.WriteLine();
    Console.WriteLine("Peak resident memory (MiB), FP16 / FP32, and the model's actual input size:");
    Console.WriteLine();
    Console.WriteLine($"| model | {string.Join(" | ", layers.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l:0} MiB layers")))} |");
    Console.WriteLine($"|---|{string.Concat(layers.Select(_ => "---|"))}");
    rows.ForEach(Console.WriteLine);
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Largest peak: {worst / 1024.0:F0} MiB"));
}

static Measurement Measure(string command, string[] arguments)
{
    // Every run starts from the same state: no dirty pages left from the previous run to be written
    // back on this one's time, and no old output file to free.
    Run("sync", []);
    // GNU time reports the child's wall time and maximum resident set size (KiB).
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true };
    start.ArgumentList.Add("-f");
    start.ArgumentList.Add("%e %M");
    start.ArgumentList.Add(command);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    _ = process.StandardOutput.ReadToEnd();
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    var last = errors.TrimEnd().Split('\n')[^1].Split(' ');
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' failed:\n{errors}");
    }

    return new Measurement(double.Parse(last[0], CultureInfo.InvariantCulture), long.Parse(last[1], CultureInfo.InvariantCulture));
}

static void Run(string command, string[] arguments)
{
    using var process = Process.Start(command, arguments)!;
    process.WaitForExit();
}

static void Copy(string source, string destination)
{
    using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    input.CopyTo(output, 1 << 20);
    output.Flush(flushToDisk: true);
}

internal readonly record struct Measurement(double Seconds, long PeakKilobytes);
