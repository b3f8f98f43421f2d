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
        using var command = Start(workingDirectory, packagesFolder, arguments);
        return command.WaitForExit(Timeout);
    }

    /// <summary>Starts a command and returns while it runs: the caller waits for it, or kills it.</summary>
    public static RunningCommand Start(string workingDirectory, string packagesFolder, params string[] arguments)
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
        return new RunningCommand(start);
    }

}

/// <summary>A dotnet process the test started, its output collected as it comes.</summary>
public sealed class RunningCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _arguments;

    public RunningCommand(ProcessStartInfo start)
    {
        _arguments = string.Join(' ', start.ArgumentList);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public CommandResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {_arguments} did not finish in {timeout}.");
        }

        // The parameterless wait drains the redirected streams.
        _process.WaitForExit();
        return Result();
    }

    /// <summary>SIGKILL to the command and every process it started (kill -9): nothing runs a cleanup.</summary>
    public CommandResult Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return Result();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private CommandResult Result()
    {
        lock (_output)
        {
            return new CommandResult(_arguments, _process.ExitCode, _output.ToString());
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
