using System.Globalization;
using ModelBuild.Fuzzing.Execution;
using ModelBuild.Fuzzing.Inputs;
using ModelBuild.Fuzzing.Mutation;
using ModelBuild.Fuzzing.Supervision;

namespace ModelBuild.Fuzzing;

/// <summary>
/// The converter's fuzzer.
/// <code>
/// Fuzzer run [--seed N] [--executions N] [--first I] [--workers N] [--timeout S] [--findings DIR] [--onnx DIR]... [--hugectr DIR]... [--max-model-kib N]
/// Fuzzer replay DIR... [--workers N] [--timeout S] [--findings DIR]      (saved inputs: one finding folder, or folders of them)
/// Fuzzer generate --seed N --index I --output DIR                        (writes the input of one execution)
/// Fuzzer hostile --output DIR                                            (writes the hostile models; replay them to time each)
/// </code>
/// --timeout is processor seconds per execution (ten times as many wall-clock seconds also end one).
/// Exit code 0: no finding; 1: findings (saved under --findings, summary.json beside them); 2: usage.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("run" or "replay" or "generate" or "hostile" or "worker"))
        {
            Console.Error.WriteLine("usage: Fuzzer run|replay|generate [options] (see Program.cs)");
            return 2;
        }

        var options = FuzzOptions.Parse(args.Skip(1).ToArray());
        if (args[0] == "hostile")
        {
            foreach (var (name, model) in HostileModels.All())
            {
                HostileModels.ToInput(name, model).Save(Path.Combine(options.Output ?? throw new ArgumentException("--output is required"), name));
            }

            return 0;
        }

        var mode = args[0] == "worker" ? options.WorkerMode ?? "run" : args[0];
        var source = mode == "replay" ? (IInputSource)new SavedInputs(options.Positional) : new GeneratedInputs(new InputGenerator(LoadCorpus(options), options.Seed));
        switch (args[0])
        {
            case "worker":
                return Worker.Run(source, options.Scratch ?? throw new ArgumentException("--scratch is required"), options.AllocationLimitBytes);
            case "generate":
                var input = source.Input(options.Index);
                input.Save(options.Output ?? throw new ArgumentException("--output is required"));
                Console.WriteLine($"{input.Origin} → {options.Output}");
                return 0;
            default:
                var statistics = new Supervisor(new SupervisorOptions
                {
                    WorkerCommand = [.. SelfCommand(), "worker", "--mode", mode, .. args.Skip(1)],
                    Inputs = source,
                    First = options.First,
                    Executions = source.Count ?? options.Executions,
                    Workers = options.Workers,
                    Timeout = options.Timeout,
                    FindingsFolder = options.Findings,
                    ScratchFolder = options.Scratch ?? DefaultScratch(),
                }).Run();
                return statistics.FindingCount == 0 ? 0 : 1;
        }
    }

    private static SeedCorpus LoadCorpus(FuzzOptions options)
    {
        var fixtures = SharedFixtures();
        var onnx = options.OnnxRoots.Count > 0 ? options.OnnxRoots : ["/usr/include/onnx/backend/test/data", .. fixtures is null ? Array.Empty<string>() : [fixtures]];
        var hugeCtr = options.HugeCtrRoots.Count > 0 ? options.HugeCtrRoots : fixtures is null ? [] : [Path.Combine(fixtures, "hugectr")];
        // The hostile models seed mutations too, but for the 100,000-node chains: too slow to mutate at every execution.
        var hostile = HostileModels.All().Where(m => m.Value.Graph.Node.Count < 1000).Select(m => HostileModels.ToInput(m.Key, m.Value));
        return SeedCorpus.Load(onnx, hugeCtr, options.MaximumModelBytes, hostile);
    }

    // ../shared/fixtures beside the repository this program was built in, or beside the current folder.
    private static string? SharedFixtures()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelBuild.sln")))
            {
                var fixtures = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "fixtures"));
                return Directory.Exists(fixtures) ? fixtures : null;
            }
        }

        var besideCurrent = Path.GetFullPath(Path.Combine("..", "shared", "fixtures"));
        return Directory.Exists(besideCurrent) ? besideCurrent : null;
    }

    // The same program, started the way this one was (an apphost, or dotnet with the dll).
    private static string[] SelfCommand()
    {
        var host = Environment.ProcessPath!;
        var assembly = typeof(Program).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, "exec", assembly] : [host];
    }

    private static string DefaultScratch() =>
        Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"modelbuild-fuzz-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>The fuzzer's options (see <see cref="Program"/>).</summary>
internal sealed class FuzzOptions
{
    public long Seed { get; private set; } = 1;

    public long Executions { get; private set; } = 10_000;

    /// <summary>The first execution index: a run stopped early goes on where it stopped with the same seed.</summary>
    public long First { get; private set; }

    public long Index { get; private set; }

    public int Workers { get; private set; } = 2;

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(30);

    public string Findings { get; private set; } = Path.Combine(Path.GetTempPath(), "modelbuild-fuzz-findings");

    public string? Output { get; private set; }

    public string? Scratch { get; private set; }

    public string? WorkerMode { get; private set; }

    public long MaximumModelBytes { get; private set; } = 2L << 20;

    public long AllocationLimitBytes { get; private set; } = 2L << 30;

    public List<string> OnnxRoots { get; } = [];

    public List<string> HugeCtrRoots { get; } = [];

    public List<string> Positional { get; } = [];

    public static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
            long Number() => long.Parse(Value(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--seed": options.Seed = Number(); break;
                case "--executions": options.Executions = Number(); break;
                case "--first": options.First = Number(); break;
                case "--index": options.Index = Number(); break;
                case "--workers": options.Workers = (int)Number(); break;
                case "--timeout": options.Timeout = TimeSpan.FromSeconds(Number()); break;
                case "--findings": options.Findings = Path.GetFullPath(Value()); break;
                case "--output": options.Output = Path.GetFullPath(Value()); break;
                case "--scratch": options.Scratch = Path.GetFullPath(Value()); break;
                case "--mode": options.WorkerMode = Value(); break;
                case "--max-model-kib": options.MaximumModelBytes = Number() << 10; break;
                case "--allocation-limit-mib": options.AllocationLimitBytes = Number() << 20; break;
                case "--onnx": options.OnnxRoots.Add(Path.GetFullPath(Value())); break;
                case "--hugectr": options.HugeCtrRoots.Add(Path.GetFullPath(Value())); break;
                default: options.Positional.Add(Path.GetFullPath(args[i])); break;
            }
        }

        return options;
    }
}
