using System.CommandLine;
using System.Globalization;
using ModelBuild.Core.Verification;

namespace ModelBuild.Tool;

/// <summary><c>modelconvert verify DIR...</c>: convert, run with the reference evaluator, compare with the expected outputs.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var folders = new Argument<DirectoryInfo[]>("DIR")
        {
            Description = "Folders in the ONNX backend-test layout: model.onnx and test_data_set_*/input_*.pb, output_*.pb. A folder that holds such folders is searched one level down.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rtol = new Option<double>("--rtol") { Description = "Relative tolerance for float outputs.", DefaultValueFactory = _ => Tolerance.Default.Relative };
        var atol = new Option<double>("--atol") { Description = "Absolute tolerance for float outputs.", DefaultValueFactory = _ => Tolerance.Default.Absolute };
        var compress = new Option<bool>("--compress_to_fp16")
        {
            Description = "Verify the FP16-compressed IR instead of the full-precision one (looser tolerances needed).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var quiet = new Option<bool>("--quiet") { Description = "Print only failing models and the summary." };
        var command = new Command("verify", "Converts each model, runs the IR with the reference evaluator on every test data set and compares with the expected outputs. "
            + "Prints one line per model and ends with 'N passed, M failed'; exits with 1 when any model failed.")
        {
            folders, rtol, atol, compress, quiet,
        };
        command.SetAction(result => Program.Guard(() => Run(
            result.GetValue(folders)!,
            new Tolerance(result.GetValue(rtol), result.GetValue(atol)),
            result.GetValue(compress),
            result.GetValue(quiet))));
        return command;
    }

    private static int Run(DirectoryInfo[] folders, Tolerance tolerance, bool compress, bool quiet)
    {
        var models = folders.SelectMany(ModelFolders).ToList();
        var work = Directory.CreateTempSubdirectory("modelconvert-verify-");
        try
        {
            int passed = 0, failed = 0;
            foreach (var folder in models)
            {
                var result = BackendTestVerifier.Verify(folder, work.FullName, tolerance, r => r with { CompressToFp16 = compress });
                if (result.Passed)
                {
                    passed++;
                    if (!quiet)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"PASS {result.Name}: {result.DataSets} data set(s), max abs error {result.MaxAbsoluteError:G3}, max rel error {result.MaxRelativeError:G3}"));
                    }
                }
                else
                {
                    failed++;
                    Console.WriteLine($"FAIL {result.Name}: {result.Failure}");
                }
            }

            Console.WriteLine($"{passed} passed, {failed} failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.ConversionError;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // A model folder is one with model.onnx; a folder of model folders (like the node suite) expands to them.
    private static IEnumerable<string> ModelFolders(DirectoryInfo folder)
    {
        if (File.Exists(Path.Combine(folder.FullName, "model.onnx")))
        {
            return [folder.FullName];
        }

        var children = folder.Exists
            ? folder.GetDirectories().Where(d => File.Exists(Path.Combine(d.FullName, "model.onnx"))).Select(d => d.FullName).Order(StringComparer.Ordinal).ToList()
            : [];
        return children.Count > 0
            ? children
            : throw new Core.Diagnostics.ModelBuildException(Core.Diagnostics.DiagnosticCode.ModelFileNotFound,
                "The folder holds no model.onnx and no folders that do.", folder.FullName);
    }
}
