using System.Diagnostics;
using ModelBuild.Core.Conversion;
using ModelBuild.Core.Diagnostics;
using Spectre.Console;

namespace ModelBuild.Tool;

/// <summary>How much the tool prints.</summary>
public enum Verbosity
{
    Quiet,
    Normal,
    Verbose,
}

/// <summary>
/// Follows a conversion on the console: a progress bar with phases and bytes written when stdout is
/// a terminal, plain lines when it is redirected, nothing but errors with --quiet.
/// </summary>
public sealed class ConsoleReporter(Verbosity verbosity)
{
    public Verbosity Verbosity { get; } = verbosity;

    public T Run<T>(Func<IConversionObserver, T> conversion)
    {
        if (Verbosity == Verbosity.Quiet || Console.IsOutputRedirected)
        {
            return conversion(new PlainObserver(this));
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new ElapsedTimeColumn())
            .Start(context => result = conversion(new ProgressObserver(context, this)));
        return result;
    }

    public void Line(string text)
    {
        if (Verbosity != Verbosity.Quiet)
        {
            Console.WriteLine(text);
        }
    }

    public void Detail(string text)
    {
        if (Verbosity == Verbosity.Verbose)
        {
            Console.WriteLine(text);
        }
    }

    public static void Error(ModelBuildException error)
    {
        Console.Error.WriteLine($"[ ERROR ] {error}");
        Console.Error.WriteLine($"          Run 'modelconvert explain {error.Code}' for what it means and what to do.");
    }

    public void Warning(ModelBuildException warning) => Warning(warning.ToString());

    public void Warning(string warning)
    {
        if (Verbosity != Verbosity.Quiet)
        {
            Console.Error.WriteLine($"[ WARNING ] {warning}");
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / 1048576.0:F1} MiB";

    private sealed class PlainObserver(ConsoleReporter reporter) : IConversionObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _lastTenth = -1;

        // With --verbose, where time and memory went so far: managed bytes allocated, garbage collections, resident set.
        public void PhaseStarted(ConversionPhase phase) => reporter.Detail(
            $"[ {_clock.Elapsed.TotalSeconds,6:F2}s ] {phase,-12} (so far: {Megabytes(GC.GetTotalAllocatedBytes())} allocated, "
            + $"{GC.CollectionCount(0)} GCs, resident {Megabytes(Environment.WorkingSet)})");

        public void BytesWritten(long written, long expectedTotal)
        {
            // Large conversions report every tenth of the way; small ones finish before it matters.
            var tenth = expectedTotal == 0 ? 10 : (int)(written * 10 / expectedTotal);
            if (expectedTotal >= 64 << 20 && tenth != _lastTenth)
            {
                _lastTenth = tenth;
                reporter.Line($"Writing weights: {Megabytes(written)} of {Megabytes(expectedTotal)}");
            }
        }

        public void Warning(ModelBuildException warning) => reporter.Warning(warning);
    }

    private sealed class ProgressObserver(ProgressContext context, ConsoleReporter reporter) : IConversionObserver
    {
        private ProgressTask? _current;

        public void PhaseStarted(ConversionPhase phase)
        {
            if (_current is not null)
            {
                _current.Value = _current.MaxValue;
                _current.StopTask();
            }

            _current = context.AddTask(phase.ToString(), maxValue: 1);
            context.Refresh();
        }

        public void BytesWritten(long written, long expectedTotal)
        {
            if (_current is null)
            {
                return;
            }

            _current.MaxValue = Math.Max(expectedTotal, written);
            _current.Value = written;
        }

        public void Warning(ModelBuildException warning) => reporter.Warning(warning);
    }
}
