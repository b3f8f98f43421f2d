using System.Diagnostics;
using System.Globalization;
using System.Text;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using ModelBuild.Testing;

namespace ModelBuild.OpenVino.Tests;

/// <summary>
/// The real OpenVINO runtime of <c>../shared/openvino</c> (TEMPLATE plugin) as a verification runner, through its
/// <c>ovrun</c> command: <c>ovrun load</c> reads and compiles the IR and lists its inputs and outputs,
/// <c>ovrun run</c> infers on raw tensors (see the runtime's README).
/// </summary>
public sealed class OpenVinoRuntime : IIrRunner
{
    // ovrun's exit codes.
    private const int ModelDidNotLoad = 3;

    // A runtime that takes longer than this on a test model is hung.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static OpenVinoRuntime Instance { get; } = new(Path.Combine(SharedFolders.OpenVino, "bin", "ovrun"));

    private readonly string _ovrun;

    private OpenVinoRuntime(string ovrun) => _ovrun = ovrun;

    /// <summary>The runtime's own version line (<c>ovrun version</c>).</summary>
    public string Version => Invoke("version").Output.Trim();

    public IIrSession Load(string xmlPath)
    {
        var (exitCode, output, error) = Invoke("load", xmlPath);
        if (exitCode != 0)
        {
            throw new IrRunException(exitCode == ModelDidNotLoad ? VerificationOutcome.LoadFailed : VerificationOutcome.RunFailed, $"ovrun load exited with {exitCode}: {Summary(error)}");
        }

        var inputs = new List<IrPort>();
        var outputs = new List<IrPort>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // kind<TAB>name<TAB>element type<TAB>partial shape
            var fields = line.Split('\t');
            var port = new IrPort(new HashSet<string>([fields[1]], StringComparer.Ordinal), ElementTypes.Parse(fields[2]));
            (fields[0] == "input" ? inputs : outputs).Add(port);
        }

        return new Session(this, xmlPath, inputs, outputs);
    }

    private (int ExitCode, string Output, string Error) Invoke(params string[] arguments)
    {
        if (!File.Exists(_ovrun))
        {
            throw new FileNotFoundException($"The OpenVINO runtime's ovrun is missing at {_ovrun} (set MODELBUILD_OPENVINO to the runtime's folder).");
        }

        var start = new ProcessStartInfo(_ovrun) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            process.WaitForExit();
            throw new IrRunException(VerificationOutcome.RunFailed, $"ovrun {arguments[0]} did not finish within {Timeout.TotalMinutes} minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    // The first line of OpenVINO's message says what failed; the rest is its stack of checks.
    private static string Summary(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" ", lines.Take(4));
    }

    private sealed class Session(OpenVinoRuntime runtime, string xmlPath, IReadOnlyList<IrPort> inputs, IReadOnlyList<IrPort> outputs) : IIrSession
    {
        public IReadOnlyList<IrPort> Inputs { get; } = inputs;

        public IReadOnlyList<IrPort> Outputs { get; } = outputs;

        public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> values)
        {
            var work = Directory.CreateTempSubdirectory("modelbuild-ovrun-");
            try
            {
                var inFolder = work.CreateSubdirectory("in").FullName;
                var outFolder = work.CreateSubdirectory("out").FullName;
                var index = new StringBuilder();
                for (var i = 0; i < values.Count; i++)
                {
                    // File names are relative to the input folder.
                    var file = $"input_{i}.raw";
                    File.WriteAllBytes(Path.Combine(inFolder, file), values[i].ToBytes());
                    index.Append(CultureInfo.InvariantCulture, $"{Inputs[i].Names.First()}\t{values[i].Type.IrName()}\t{string.Join(",", values[i].Shape)}\t{file}\n");
                }

                File.WriteAllText(Path.Combine(inFolder, "index.tsv"), index.ToString());
                var (exitCode, _, error) = runtime.Invoke("run", xmlPath, inFolder, outFolder);
                if (exitCode != 0)
                {
                    throw new IrRunException(exitCode == ModelDidNotLoad ? VerificationOutcome.LoadFailed : VerificationOutcome.RunFailed, $"ovrun run exited with {exitCode}: {Summary(error)}");
                }

                return File.ReadAllLines(Path.Combine(outFolder, "index.tsv")).Where(l => l.Length > 0).Select(line =>
                {
                    var fields = line.Split('\t');
                    var shape = fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
                    return Tensor.FromBytes(ElementTypes.Parse(fields[1]), shape, File.ReadAllBytes(Path.Combine(outFolder, fields[3])));
                }).ToList();
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }

        public void Dispose()
        {
        }
    }
}
