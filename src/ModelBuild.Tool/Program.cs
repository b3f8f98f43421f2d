using System.CommandLine;
using ModelBuild.Core.Diagnostics;

namespace ModelBuild.Tool;

/// <summary>
/// modelconvert: the converter core behind an ovc-compatible command line. Without a command word it
/// converts (<c>modelconvert INPUT_MODEL</c>, as ovc); <c>verify</c>, <c>inspect</c>, <c>hugectr</c> and
/// <c>explain</c> are commands of their own.
/// </summary>
public static class Program
{
    /// <summary>The commands, by the word that selects them.</summary>
    private static readonly Dictionary<string, Func<Command>> Commands = new(StringComparer.Ordinal)
    {
        ["verify"] = VerifyCommand.Create,
        ["inspect"] = InspectCommand.Create,
        ["hugectr"] = HugeCtrCommand.Create,
        ["explain"] = ExplainCommand.Create,
    };

    public static int Main(string[] args)
    {
        // A command is picked by its first word before parsing, so its help and usage do not show the
        // converter's INPUT_MODEL argument (System.CommandLine lists a parent's arguments in its children).
        var root = args.Length > 0 && Commands.TryGetValue(args[0], out var create)
            ? new RootCommand(ConvertCommand.Summary) { create() }
            : ConvertCommand.Create();

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
            return error.Code switch
            {
                DiagnosticCode.InvalidInputOverride or DiagnosticCode.InvalidTargetRelease
                    or DiagnosticCode.VerificationInputUnknown or DiagnosticCode.VerificationInputInvalid => ExitCodes.UsageError,
                DiagnosticCode.ReferenceRuntimeFailed => ExitCodes.ReferenceUnavailable,
                _ => ExitCodes.ConversionError,
            };
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine($"[ ERROR ] {error.Message}");
            Console.Error.WriteLine("Run 'modelconvert --help' for usage.");
            return ExitCodes.UsageError;
        }
    }

    public static Verbosity VerbosityOf(bool quiet, bool verbose) =>
        quiet ? Verbosity.Quiet : verbose ? Verbosity.Verbose : Verbosity.Normal;
}
