using System.Diagnostics;
using System.Text;
using ModelBuild.Core.Tests.Helpers;
using Xunit;

namespace ModelBuild.Core.Tests.Conversion;

/// <summary>
/// The fuzzer's checks in CI, each in a child process (a hang cannot be interrupted in-process, a crash
/// would take the test host down): a fixed-seed slice of mutated ONNX and HugeCTR models, every saved
/// finding (each one a bug that was fixed), and the hostile models under a time limit per conversion.
/// Any execution that ends in an exception other than a ModelBuildException, a hang, a crash, an output
/// file after an error, or IR that does not read back fails the test.
/// </summary>
public sealed class FuzzingTests
{
    /// <summary>A minute or two of CI time on two cores.</summary>
    private const int SliceExecutions = 2000;

    /// <summary>Findings kept as regression inputs, one folder each (input files, conversion.json, finding.json).</summary>
    private static readonly string FindingsFolder = Path.Combine(AppContext.BaseDirectory, "Conversion", "FuzzFindings");

    [Fact]
    public void A_fixed_seed_slice_of_mutated_models_finds_nothing()
    {
        var (exitCode, output) = Fuzzer("run", "--seed", "20261203", "--executions", SliceExecutions.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", "2");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"{SliceExecutions} executions", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_saved_finding_now_converts_or_fails_cleanly()
    {
        Assert.True(Directory.EnumerateDirectories(FindingsFolder).Any(), $"no findings in {FindingsFolder}");

        var (exitCode, output) = Fuzzer("replay", FindingsFolder, "--workers", "2");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Every_hostile_model_converts_in_a_child_process_within_the_time_limit()
    {
        using var folder = new TempFolder();
        var (generated, generation) = Fuzzer("hostile", "--output", folder.Path);
        Assert.True(generated == 0, generation);

        // The 10 s per model, in processor time: wall-clock time on a shared two-core machine says more about
        // the other processes than about the converter. The measured times of each are in the output.
        var (exitCode, output) = Fuzzer("replay", folder.Path, "--workers", "1", "--timeout", "10");

        Assert.True(exitCode == 0, output);
        Assert.Equal(11, output.Split('\n').Count(l => l.StartsWith("[replay] ", StringComparison.Ordinal)));
    }

    private static (int ExitCode, string Output) Fuzzer(params string[] arguments)
    {
        using var findings = new TempFolder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fuzzer.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--findings");
        start.ArgumentList.Add(findings.Path);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        var summary = Path.Combine(findings.Path, "summary.json");
        lock (output)
        {
            return (process.ExitCode, output + (File.Exists(summary) ? File.ReadAllText(summary) : ""));
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
