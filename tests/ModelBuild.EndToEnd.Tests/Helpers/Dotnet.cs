using System.Diagnostics;
using System.Text;

namespace ModelBuild.EndToEnd.Tests.Helpers;

/// <summary>What a dotnet command printed (stdout and stderr together, in order) and its exit code.</summary>
public sealed record CommandResult(string Arguments, int ExitCode, string Output)
{
    public override string ToString() => $"dotnet {Arguments} exited with {ExitCode}:\n{Output}";
}

/// <summary>
/// Runs the dotnet CLI as a user would, isolated from the test run: its own NuGet packages folder, no MSBuild
/// node reuse or build servers (nothing lingers, nothing holds a task dll), and none of the MSBuild variables the
/// test host inherited from the `dotnet test` that started it.
/// </summary>
public static class Dotnet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static CommandResult Run(string workingDirectory, string packagesFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NUGET_PACKAGES"] = packagesFolder;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {Timeout}.");
        }

        // The parameterless wait drains the redirected streams.
        process.WaitForExit();
        lock (output)
        {
            return new CommandResult(string.Join(' ', arguments), process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
