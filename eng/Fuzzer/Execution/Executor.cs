using System.Diagnostics;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Weights;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Execution;

/// <summary>What went wrong in an execution (hangs and crashes are seen by the supervisor, not here).</summary>
public enum FindingKind
{
    /// <summary>An exception that is not a <see cref="ModelBuildException"/> escaped the converter.</summary>
    UnhandledException,

    /// <summary>The execution did not end within the time limit.</summary>
    Hang,

    /// <summary>The worker process died (stack overflow, out of memory, a native fault).</summary>
    Crash,

    /// <summary>The conversion failed but left a file in the output folder.</summary>
    OutputAfterError,

    /// <summary>The conversion succeeded but left something besides the .xml and .bin.</summary>
    LeftoverFile,

    /// <summary>The conversion succeeded but its IR does not read back.</summary>
    InvalidIr,

    /// <summary>The conversion allocated more managed memory than the limit.</summary>
    ExcessiveAllocation,
}

/// <summary>The result of one execution: converted, rejected with a code, or a finding.</summary>
/// <param name="Milliseconds">Wall-clock time of the conversion (and the IR's read-back).</param>
/// <param name="CpuMilliseconds">The worker's processor time over the same span: what the conversion cost, whatever the machine's load.</param>
public sealed record ExecutionResult(string Outcome, FindingKind? Finding, string Signature, string Detail, double Milliseconds, double CpuMilliseconds, long AllocatedBytes)
{
    public bool IsFinding => Finding is not null;
}

/// <summary>
/// Runs one conversion in-process in a scratch folder and checks what it left: an error must leave no
/// output, a success exactly the .xml and .bin, readable as IR. Hangs and crashes cannot be caught
/// here; the worker's supervisor sees them.
/// </summary>
public sealed class Executor(string scratch, long allocationLimitBytes)
{
    private readonly string _inputFolder = Path.Combine(scratch, "input");
    private readonly string _outputFolder = Path.Combine(scratch, "output");

    /// <summary>Where the input of the execution in progress lies (the supervisor copies it after a hang or crash).</summary>
    public string InputFolder => _inputFolder;

    public ExecutionResult Run(FuzzInput input)
    {
        Reset(_inputFolder);
        Reset(_outputFolder);
        input.Materialize(_inputFolder);
        var outputXml = Path.Combine(_outputFolder, "model.xml");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = new ExecutionClock();
        string outcome;
        string? error = null;
        try
        {
            ModelConverter.Convert(input.Spec.ToRequest(_inputFolder, outputXml));
            outcome = "converted";
        }
        catch (ModelBuildException exception)
        {
            outcome = exception.Code;
            error = exception.ToString();
        }
        catch (Exception exception)
        {
            return Finding(FindingKind.UnhandledException, Signature(exception), exception.ToString(), clock, allocatedBefore);
        }

        var left = Directory.Exists(_outputFolder) ? Directory.GetFileSystemEntries(_outputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray() : [];
        if (error is not null && left.Length > 0)
        {
            return Finding(FindingKind.OutputAfterError, $"{outcome} left output", $"{error}\nleft: {string.Join(", ", left)}", clock, allocatedBefore);
        }

        if (error is null)
        {
            if (!left.SequenceEqual(["model.bin", "model.xml"]))
            {
                return Finding(FindingKind.LeftoverFile, "leftover", $"left: {string.Join(", ", left)}", clock, allocatedBefore);
            }

            try
            {
                using var files = new MappedFileSet();
                IrReader.Read(outputXml, files);
            }
            catch (Exception exception)
            {
                return Finding(FindingKind.InvalidIr, Signature(exception), exception.ToString(), clock, allocatedBefore);
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        if (allocated > allocationLimitBytes + 64 * input.TotalBytes)
        {
            return Finding(FindingKind.ExcessiveAllocation, $"allocation {outcome}", $"{allocated:N0} bytes allocated converting {input.TotalBytes:N0} bytes of input ({error ?? "converted"})", clock, allocatedBefore);
        }

        return new ExecutionResult(outcome, null, "", error ?? "", clock.Milliseconds, clock.CpuMilliseconds, allocated);
    }

    /// <summary>The exception's type and the first frames of its stack, inner exceptions included: what tells one bug from another.</summary>
    public static string Signature(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // The converter's own frames tell where the bug is; runtime frames (array allocation, XmlWriter) only what failed.
            var methods = new StackTrace(current).GetFrames().Select(f => f.GetMethod()).OfType<System.Reflection.MethodBase>().ToList();
            var own = methods.Where(m => m.DeclaringType?.Namespace?.StartsWith("ModelBuild.Core", StringComparison.Ordinal) == true).ToList();
            var frames = (own.Count > 0 ? own : methods).Take(3).Select(m => $"{m.DeclaringType?.Name}.{m.Name}");
            parts.Add($"{current.GetType().Name} at {string.Join(" < ", frames)}");
        }

        return string.Join(" | ", parts);
    }

    private static void Reset(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
    }

    private static ExecutionResult Finding(FindingKind kind, string signature, string detail, ExecutionClock clock, long allocatedBefore) =>
        new(kind.ToString(), kind, signature, detail, clock.Milliseconds, clock.CpuMilliseconds, GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore);

    /// <summary>Wall-clock and processor time since creation.</summary>
    private sealed class ExecutionClock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _processorStart = Process.GetCurrentProcess().TotalProcessorTime;

        public double Milliseconds => _wall.Elapsed.TotalMilliseconds;

        public double CpuMilliseconds => (Process.GetCurrentProcess().TotalProcessorTime - _processorStart).TotalMilliseconds;
    }
}
