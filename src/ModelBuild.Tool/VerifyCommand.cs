using System.CommandLine;
using System.Globalization;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Verification;
using ModelBuild.OnnxRuntime;

namespace ModelBuild.Tool;

/// <summary>
/// <c>modelconvert verify MODEL.onnx</c> (or an IR beside its .onnx): the IR against ONNX Runtime on the same inputs;
/// <c>modelconvert verify DIR...</c>: backend-test folders against their expected outputs.
/// </summary>
public static class VerifyCommand
{
    private const string Help = """


        MODEL.onnx: converts the model, runs the ONNX model in ONNX Runtime and the IR in ModelBuild's reference evaluator on
        the same inputs, and prints each output's largest absolute and relative error. MODEL.xml: checks that IR instead of
        converting, against the .onnx of the same name beside it. Inputs are generated from the model's input types and
        shapes (floats in [-1, 1); integers the graph uses as indices, in range), or read from --inputs folders.
        DIR: folders in the ONNX backend-test layout, compared with their expected outputs.

        Examples:
          modelconvert verify model.onnx
          modelconvert verify model.onnx --input "x[4,3,224,224]" --samples 3 --seed 7
          modelconvert verify rnnt_encoder.onnx --inputs rnnt_encoder/test_data_set_0
          modelconvert verify out/model.xml                  the IR converted before, against out/model.onnx
          modelconvert verify /usr/include/onnx/backend/test/data/node --quiet

        Exit codes: 0 every output matches, 1 an output differs (or the model does not convert), 2 usage error (MB6001:
        inputs that cannot be generated, MB6002: input files that do not fit), 3 ONNX Runtime cannot run the model (MB6003).
        """;

    public static Command Create()
    {
        var targets = new Argument<string[]>("MODEL|DIR")
        {
            Description = "An ONNX model (.onnx), an IR (.xml) with its .onnx beside it, or folders in the ONNX backend-test layout "
                + "(model.onnx and test_data_set_*/input_*.pb, output_*.pb; a folder of such folders is searched one level down).",
            Arity = ArgumentArity.OneOrMore,
        };
        var rtol = new Option<double>("--rtol") { Description = "Relative tolerance for float outputs.", DefaultValueFactory = _ => Tolerance.Default.Relative };
        var atol = new Option<double>("--atol") { Description = "Absolute tolerance for float outputs.", DefaultValueFactory = _ => Tolerance.Default.Absolute };
        var compress = new Option<bool>("--compress_to_fp16")
        {
            Description = "Verify the FP16-compressed IR instead of the full-precision one (looser tolerances needed).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var quiet = new Option<bool>("--quiet") { Description = "Print only failures and the summary." };
        var input = new Option<string[]>("--input")
        {
            Description = "MODEL only. Input overrides as for conversion: shapes for dynamic dims (x[4,3,224,224]), frozen values (1->157), types. "
                + "They apply to the conversion and to the inputs both runtimes get.",
        };
        var inputs = new Option<string[]>("--inputs")
        {
            Description = "MODEL only. A folder of input files, one sample: .npy files named after the inputs, or serialized TensorProtos "
                + "(.pb, such as a backend-test test_data_set_N). Repeat for more samples. Inputs it lacks are generated.",
        };
        var samples = new Option<int>("--samples") { Description = "MODEL only. Samples of generated inputs to compare.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "MODEL only. Seed of the generated inputs.", DefaultValueFactory = _ => 0 };
        var command = new Command("verify", "Checks that a conversion computes what the model computes: against ONNX Runtime (MODEL) or backend-test data (DIR)." + Help)
        {
            targets, rtol, atol, compress, quiet, input, inputs, samples, seed,
        };
        command.SetAction(result => Program.Guard(() =>
        {
            var given = result.GetValue(targets)!;
            var tolerance = new Tolerance(result.GetValue(rtol), result.GetValue(atol));
            if (given.Length == 1 && File.Exists(given[0]))
            {
                if (result.GetValue(samples) < 1)
                {
                    throw new UsageException("--samples must be at least 1.");
                }

                return VerifyModel(given[0], new ModelVerificationRequest
                {
                    OnnxPath = given[0],
                    Inputs = InputSpecParser.Parse(result.GetValue(input) ?? []),
                    InputFolders = result.GetValue(inputs) ?? [],
                    Samples = result.GetValue(samples),
                    Seed = result.GetValue(seed),
                    Tolerance = tolerance,
                    CompressToFp16 = result.GetValue(compress),
                }, result.GetValue(quiet));
            }

            var modelOnly = new Option[] { input, inputs, samples, seed }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
            return modelOnly is not null
                ? throw new UsageException($"{modelOnly.Name} applies to a model file (verify MODEL.onnx), not to backend-test folders.")
                : VerifyFolders(given.Select(g => new DirectoryInfo(g)).ToArray(), tolerance, result.GetValue(compress), result.GetValue(quiet));
        }));
        return command;
    }

    private static int VerifyModel(string path, ModelVerificationRequest request, bool quiet)
    {
        request = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".onnx" => request,
            ".xml" when Path.ChangeExtension(path, ".onnx") is var onnx && File.Exists(onnx) =>
                request.CompressToFp16
                    ? throw new UsageException("--compress_to_fp16 chooses how to convert; an IR given as .xml is checked as it is.")
                    : request with { OnnxPath = onnx, IrPath = path },
            ".xml" => throw new ModelBuildException(DiagnosticCode.ModelFileNotFound,
                $"An IR is checked against the ONNX model it was converted from, {Path.GetFileName(Path.ChangeExtension(path, ".onnx"))} beside it, which does not exist.", path),
            _ => throw new UsageException($"'{path}' is neither an ONNX model (.onnx), an IR (.xml) nor a folder."),
        };

        var report = ModelVerifier.Verify(request, new OnnxRuntimeRunner());
        var inputsFrom = request.InputFolders.Count > 0 ? $"inputs from {string.Join(", ", request.InputFolders)}" : $"generated inputs, seed {request.Seed}";
        Console.WriteLine($"{request.IrPath ?? request.OnnxPath}: {report.Reference} against the IR in ModelBuild's reference evaluator, {report.Samples} sample(s), {inputsFrom}");
        if (!quiet)
        {
            foreach (var note in report.Notes)
            {
                Console.WriteLine($"  {note}");
            }
        }

        if (report.Failure is not null)
        {
            Console.WriteLine($"FAIL: {report.Failure}");
            return ExitCodes.ConversionError;
        }

        var rows = report.Outputs.Select(o => new[]
        {
            o.Name, o.Type.IrName(), ShapeMath.Format(o.Shape), Number(o.MaxAbsoluteError), Number(o.MaxRelativeError), o.Passed ? "PASS" : "FAIL",
        }).Prepend(["output", "type", "shape", "max abs error", "max rel error", "result"]).ToList();
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        foreach (var output in report.Outputs.Where(o => !o.Passed))
        {
            Console.WriteLine($"  {output.Name}: {output.Mismatch}");
        }

        var failed = report.Outputs.Count(o => !o.Passed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(failed == 0 ? "PASS" : "FAIL")}: {report.Outputs.Count - failed} of {report.Outputs.Count} output(s) match (rtol {request.Tolerance.Relative:G}, atol {request.Tolerance.Absolute:G})"));
        return failed == 0 ? ExitCodes.Success : ExitCodes.ConversionError;
    }

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static int VerifyFolders(DirectoryInfo[] folders, Tolerance tolerance, bool compress, bool quiet)
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
            : throw new ModelBuildException(DiagnosticCode.ModelFileNotFound,
                "Neither a model file nor a folder that holds model.onnx or folders that do.", folder.FullName);
    }
}
