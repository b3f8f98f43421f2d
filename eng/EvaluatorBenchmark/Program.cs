using System.Diagnostics;
using System.Globalization;
using ModelBuild.Benchmarks;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Verification;
using ModelBuild.Core.Weights;
using Microsoft.ML.OnnxRuntime;

// Times the reference evaluator (the IR read back and run, as modelconvert verify does) against ONNX Runtime
// on the same models and inputs, in one process: runs alternate between the two, both use every core, and the
// medians of --repeat runs give the ratio. Usage:
//   EvaluatorBenchmark [--repeat N] [--models resnet18,quantized,rnnt] [--quantized-size PIXELS] [--profile]
//                      [--work DIR] [--fixtures DIR]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = BenchmarkOptions.Parse(args);
Directory.CreateDirectory(options.Work);

Console.WriteLine($"Evaluator vs ONNX Runtime {OrtEnv.Instance().GetVersionString()}: {Environment.ProcessorCount} cores, median of {options.Repeat} alternating runs each.");
Console.WriteLine($"Load average at start: {LoadAverage()} (the machine is shared: other processes take cores too).");

var models = new List<BenchmarkModel>();
foreach (var name in options.Models)
{
    models.Add(name switch
    {
        "resnet18" => BenchmarkModels.ResNet18(options.Work),
        "quantized" => BenchmarkModels.QuantizedSegmentation(options.Work, options.QuantizedSize),
        "rnnt" => RnntEncoder(options.Fixtures),
        _ => throw new ArgumentException($"Unknown model '{name}': resnet18, quantized or rnnt."),
    });
}

var rows = new List<string>();
foreach (var model in models)
{
    Console.WriteLine();
    Console.WriteLine($"== {model.Name}: {model.Description}");
    var xml = Path.Combine(options.Work, "ir", model.Name + ".xml");
    var conversion = Stopwatch.StartNew();
    ModelConverter.Convert(new ConversionRequest { InputPath = model.OnnxPath, OutputXmlPath = xml, CompressToFp16 = false });
    Console.WriteLine($"   converted in {conversion.Elapsed.TotalSeconds:0.00} s");

    using var ort = new OnnxRuntimeSession(model.OnnxPath);
    using var evaluator = ReferenceIrRunner.Instance.Load(xml);

    // The first run of each warms up (JIT, ONNX Runtime's arena) and gives the outputs to compare.
    var expected = ort.Run(model.Inputs);
    var actual = evaluator.RunByName(model.Inputs);
    foreach (var (name, value) in expected)
    {
        var comparison = TensorComparison.Compare(actual[name], value, 1e-3, 1e-4);
        Console.WriteLine($"   output {name}: max abs error {comparison.MaxAbsoluteError:G3}, max rel error {comparison.MaxRelativeError:G3} vs ONNX Runtime");
    }

    var ortTimes = new List<double>();
    var evaluatorTimes = new List<double>();
    for (var i = 0; i < options.Repeat; i++)
    {
        ortTimes.Add(Time(() => ort.Run(model.Inputs)));
        evaluatorTimes.Add(Time(() => evaluator.RunByName(model.Inputs)));
        Console.WriteLine($"   run {i + 1}: ONNX Runtime {ortTimes[^1]:0.000} s, evaluator {evaluatorTimes[^1]:0.000} s (load {LoadAverage()})");
    }

    var ratio = Median(evaluatorTimes) / Median(ortTimes);
    rows.Add($"{model.Name,-28} {Median(ortTimes),10:0.000} s {Median(evaluatorTimes),10:0.000} s {ratio,8:0.0}x");
    if (options.Profile)
    {
        Profile(xml, model.Inputs);
    }
}

Console.WriteLine();
Console.WriteLine($"{"model",-28} {"ONNX Runtime",12} {"evaluator",12} {"ratio",9}");
rows.ForEach(Console.WriteLine);
Console.WriteLine($"Load average at end: {LoadAverage()}.");

static BenchmarkModel RnntEncoder(string fixtures)
{
    var folder = Path.Combine(fixtures, "rnnt", "rnnt_encoder_small");
    var inputs = BackendTestData.ReadNumbered(Path.Combine(folder, "test_data_set_0"), "input").ToDictionary(i => i.Name, i => i.Value);
    return new BenchmarkModel("rnnt_encoder_small", "MLCommons RNN-T encoder fixture (5 LSTM layers, hidden 256), test_data_set_0 (157 steps)",
        Path.Combine(folder, "model.onnx"), inputs);
}

static double Time(Action run)
{
    var started = Stopwatch.GetTimestamp();
    run();
    return Stopwatch.GetElapsedTime(started).TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// Two more evaluator runs, the second timed node by node: where the time goes, by op type.
static void Profile(string xml, IReadOnlyDictionary<string, Tensor> inputs)
{
    using var files = new MappedFileSet();
    var model = IrReader.Read(xml, files);
    var arguments = model.Parameters.Select(p => inputs.First(i => p.Name == i.Key || p.Outputs[0].Names.Contains(i.Key)).Value).ToList();
    ReferenceEvaluator.Run(model, arguments); // a warm-up: the first run of a model read afresh materializes its constants
    var byType = new Dictionary<string, (int Count, TimeSpan Time)>();
    var wall = Time(() => ReferenceEvaluator.Run(model, arguments, (node, elapsed) =>
    {
        var (count, time) = byType.GetValueOrDefault(node.Type);
        byType[node.Type] = (count + 1, time + elapsed);
    }));
    var total = byType.Values.Aggregate(TimeSpan.Zero, (sum, entry) => sum + entry.Time);
    Console.WriteLine($"   profile (one run, {wall:0.000} s, {total.TotalSeconds:0.000} s of it in kernels):");
    foreach (var (type, (count, time)) in byType.OrderByDescending(e => e.Value.Time).Take(12))
    {
        Console.WriteLine($"     {type,-24} {count,5} nodes {time.TotalSeconds,9:0.000} s {100 * time / total,5:0.0}%");
    }
}

/// <summary>The command line.</summary>
internal sealed record BenchmarkOptions(int Repeat, string[] Models, int QuantizedSize, bool Profile, string Work, string Fixtures)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(5, ["resnet18", "quantized", "rnnt"], 512, false,
            Path.Combine("artifacts", "evaluator-benchmark"), Path.Combine("..", "shared", "fixtures"));
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--repeat" => options with { Repeat = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--models" => options with { Models = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--quantized-size" => options with { QuantizedSize = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--profile" => options with { Profile = true },
                "--work" => options with { Work = args[++i] },
                "--fixtures" => options with { Fixtures = args[++i] },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }
}
