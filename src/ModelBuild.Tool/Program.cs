using System.CommandLine;
using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Tool;

/// <summary>
/// modelconvert: the converter core behind an ovc-compatible command line. The root command
/// converts; <c>verify</c>, <c>inspect</c> and <c>hugectr</c> are subcommands.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = ConvertCommand.Create();
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(HugeCtrCommand.Create());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"[ ERROR ] {error.Message}");
            }

            Console.Error.WriteLine("Run 'modelconvert --help' for usage.");
            return ExitCodes.UsageError;
        }

        return parsed.Invoke();
    }

    /// <summary>Runs a command body, turning ModelBuild errors into the documented exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ModelBuildException error)
        {
            ConsoleReporter.Error(error);
            return error.Code == DiagnosticCode.InvalidInputOverride ? ExitCodes.UsageError : ExitCodes.ConversionError;
        }
    }

    public static Verbosity VerbosityOf(bool quiet, bool verbose) =>
        quiet ? Verbosity.Quiet : verbose ? Verbosity.Verbose : Verbosity.Normal;
}
