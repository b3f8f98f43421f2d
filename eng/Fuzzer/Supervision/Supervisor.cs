using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelBuild.Fuzzing.Execution;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Supervision;

/// <summary>What the supervisor runs and how.</summary>
public sealed record SupervisorOptions
{
    /// <summary>The worker command line, minus the arguments each worker gets (its scratch folder).</summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }

    public required IInputSource Inputs { get; init; }

    /// <summary>The index of the first execution; <see cref="Executions"/> follow it.</summary>
    public long First { get; init; }

    public required long Executions { get; init; }

    public int Workers { get; init; } = 2;

    /// <summary>
    /// The processor time one execution may take. Processor time, not wall-clock time: on a shared machine a
    /// worker may wait long for a core, and a slow wait is not a hang.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many <see cref="Timeout"/>s of wall-clock time an execution may take whatever its processor time: a
    /// worker that waits without working (a deadlock, a blocking read) hangs too.
    /// </summary>
    public int WallClockTimeouts { get; init; } = 10;

    public required string FindingsFolder { get; init; }

    public required string ScratchFolder { get; init; }

    public int BatchSize { get; init; } = 50;

    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The worker's managed heap limit: an allocation proportional to a declared size fails there instead of paging.</summary>
    public long HeapLimitBytes { get; init; } = 3L << 30;
}

/// <summary>
/// Runs inputs in worker processes, because an in-process conversion can neither be interrupted (a hang)
/// nor survive a stack overflow (a crash). Each worker gets batches of execution indices; one that stays
/// in an execution past the time limit is killed (a hang), one that dies mid-execution is a crash; both
/// are restarted after the input that caused it. Findings are saved once per signature, with the input.
/// </summary>
public sealed class Supervisor
{
    private readonly SupervisorOptions _options;
    private readonly Statistics _statistics = new();
    private readonly FindingStore _findings;
    private long _next;

    public Supervisor(SupervisorOptions options)
    {
        _options = options;
        _findings = new FindingStore(options.FindingsFolder);
        _next = options.First;
    }

    public Statistics Run()
    {
        var workers = Enumerable.Range(0, _options.Workers).Select(i => new WorkerProcess(i, _options)).ToList();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        try
        {
            foreach (var worker in workers)
            {
                Assign(worker);
            }

            while (workers.Any(w => w.Batch is not null))
            {
                foreach (var worker in workers)
                {
                    Poll(worker);
                }

                if (clock.Elapsed - lastReport >= _options.ReportEvery)
                {
                    lastReport = clock.Elapsed;
                    Console.WriteLine(_statistics.Line(clock.Elapsed));
                }

                Thread.Sleep(20);
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            // The workers' last inputs and outputs; findings were saved elsewhere.
            if (Directory.Exists(_options.ScratchFolder))
            {
                Directory.Delete(_options.ScratchFolder, recursive: true);
            }
        }

        _statistics.Elapsed = clock.Elapsed;
        Console.WriteLine(_statistics.Line(clock.Elapsed));
        _statistics.Save(Path.Combine(_options.FindingsFolder, "summary.json"), _findings);
        return _statistics;
    }

    private void Assign(WorkerProcess worker)
    {
        var remaining = _options.First + _options.Executions - _next;
        if (remaining <= 0)
        {
            worker.Batch = null;
            return;
        }

        var count = Math.Min(_options.BatchSize, remaining);
        worker.Send(_next, count);
        _next += count;
    }

    private void Poll(WorkerProcess worker)
    {
        if (worker.Batch is null)
        {
            return;
        }

        while (worker.Lines.TryDequeue(out var line))
        {
            if (line.StartsWith("START ", StringComparison.Ordinal))
            {
                worker.Current = long.Parse(line[6..], CultureInfo.InvariantCulture);
                worker.CurrentStarted = Stopwatch.GetTimestamp();
                worker.CurrentStartedProcessorTime = worker.ProcessorTime;
            }
            else if (line.StartsWith("END ", StringComparison.Ordinal))
            {
                var space = line.IndexOf(' ', 4);
                var index = long.Parse(line[4..space], CultureInfo.InvariantCulture);
                var result = JsonSerializer.Deserialize<ExecutionResult>(line[(space + 1)..])!;
                Record(index, result);
                worker.Current = null;
                worker.LastEnded = index;
            }
            else if (line == "IDLE")
            {
                Assign(worker);
                return;
            }
        }

        if (worker.Current is { } current && HangOf(worker) is { } hang)
        {
            Restart(worker, current, FindingKind.Hang, hang.Detail, hang.Wall, hang.Processor);
        }
        else if (worker.HasExited)
        {
            // Every line it wrote is read once the exit is seen; then an execution without its END crashed it.
            worker.WaitForExit();
            if (!worker.Lines.IsEmpty)
            {
                return;
            }

            var index = worker.Current ?? worker.LastEnded + 1;
            Restart(worker, index, FindingKind.Crash, $"the worker exited with code {worker.ExitCode}:\n{worker.StandardErrorTail}");
        }
    }

    // What the current execution has taken, when that is a hang: more processor time than the limit, or a wall-clock
    // time so long that the worker must be waiting rather than working. The processor time is only read once the
    // wall-clock time could hold that much of it (on every core), not at every poll.
    private (string Detail, TimeSpan Wall, TimeSpan Processor)? HangOf(WorkerProcess worker)
    {
        var wall = Stopwatch.GetElapsedTime(worker.CurrentStarted);
        if (wall * Environment.ProcessorCount <= _options.Timeout)
        {
            return null;
        }

        var processor = worker.ProcessorTime - worker.CurrentStartedProcessorTime;
        if (processor > _options.Timeout)
        {
            return ($"no result after {processor.TotalSeconds:F0} s of processor time ({wall.TotalSeconds:F0} s of wall-clock time)", wall, processor);
        }

        return wall > _options.Timeout * _options.WallClockTimeouts
            ? ($"no result after {wall.TotalSeconds:F0} s of wall-clock time, only {processor.TotalSeconds:F1} s of it working", wall, processor)
            : null;
    }

    // The execution that hung or crashed is a finding; the worker starts over after it, on the rest of its batch.
    private void Restart(WorkerProcess worker, long index, FindingKind kind, string detail, TimeSpan wall = default, TimeSpan processor = default)
    {
        var (_, end) = worker.Batch!.Value;
        worker.Kill();
        // A hang shows no stack: its seed model tells hangs apart well enough to keep one input of each.
        var signature = kind == FindingKind.Crash ? $"crash {FirstLine(worker.StandardErrorTail)}" : $"hang {_options.Inputs.Input(index).Origin.Split(' ')[0]}";
        Record(index, new ExecutionResult(kind.ToString(), kind, signature, detail, wall.TotalMilliseconds, processor.TotalMilliseconds, 0));
        worker.Start();
        if (index + 1 < end)
        {
            worker.Send(index + 1, end - index - 1);
        }
        else
        {
            Assign(worker);
        }
    }

    private void Record(long index, ExecutionResult result)
    {
        _statistics.Add(result);
        if (_options.Inputs.Count is { } count && count <= 100)
        {
            // A replay of a few saved inputs shows each: its outcome, time and allocation.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[replay] {_options.Inputs.Input(index).Origin}: {result.Outcome}, {result.Milliseconds:F0} ms ({result.CpuMilliseconds:F0} ms of processor time), {result.AllocatedBytes / 1048576.0:F0} MiB allocated"));
        }

        if (result.IsFinding)
        {
            var input = _options.Inputs.Input(index);
            var saved = _findings.Save(index, input, result);
            if (saved is not null)
            {
                Console.WriteLine($"[finding] {result.Finding} #{index}: {result.Signature} → {saved}");
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => !l.StartsWith("   ", StringComparison.Ordinal)) ?? "";

    /// <summary>One worker process and what it reported.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly int _number;
        private readonly SupervisorOptions _options;
        private readonly ConcurrentQueue<string> _stderr = new();
        private Process? _process;

        public WorkerProcess(int number, SupervisorOptions options)
        {
            _number = number;
            _options = options;
            Start();
        }

        public ConcurrentQueue<string> Lines { get; private set; } = new();

        public (long First, long End)? Batch { get; set; }

        public long? Current { get; set; }

        public long CurrentStarted { get; set; }

        public TimeSpan CurrentStartedProcessorTime { get; set; }

        /// <summary>The processor time the worker process has taken so far (its threads, on every core).</summary>
        public TimeSpan ProcessorTime
        {
            get
            {
                try
                {
                    _process!.Refresh();
                    return _process.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    // It exited between the poll's look and this read: the exit is seen at the next poll.
                    return CurrentStartedProcessorTime;
                }
            }
        }

        public long LastEnded { get; set; } = -1;

        public bool HasExited => _process!.HasExited;

        public int ExitCode => _process!.ExitCode;

        public string StandardErrorTail => string.Join("\n", _stderr.TakeLast(40));

        public void Start()
        {
            var scratch = Path.Combine(_options.ScratchFolder, $"worker{_number}");
            var start = new ProcessStartInfo(_options.WorkerCommand[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in _options.WorkerCommand.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add("--scratch");
            start.ArgumentList.Add(scratch);
            start.Environment["DOTNET_GCHeapHardLimit"] = _options.HeapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
            start.Environment["DOTNET_TieredPGO"] = "0";
            var lines = new ConcurrentQueue<string>();
            Lines = lines;
            _stderr.Clear();
            Current = null;
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lines.Enqueue(e.Data);
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _stderr.Enqueue(e.Data);
                    while (_stderr.Count > 200)
                    {
                        _stderr.TryDequeue(out string? _);
                    }
                }
            };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public void Send(long first, long count)
        {
            Batch = (first, first + count);
            LastEnded = first - 1;
            _process!.StandardInput.WriteLine($"RUN {first.ToString(CultureInfo.InvariantCulture)} {count.ToString(CultureInfo.InvariantCulture)}");
            _process.StandardInput.Flush();
        }

        public void WaitForExit() => _process!.WaitForExit();

        public void Kill()
        {
            if (!_process!.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (_process is { HasExited: false })
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process?.Dispose();
        }
    }
}
