using System.Globalization;
using System.Text.Json;
using ModelBuild.Fuzzing.Execution;

namespace ModelBuild.Fuzzing.Supervision;

/// <summary>Counts of executions by outcome (converted, each MB code, each finding kind) and their rate.</summary>
public sealed class Statistics
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public long Executions { get; private set; }

    public SortedDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Findings { get; } = new(StringComparer.Ordinal);

    public TimeSpan Elapsed { get; set; }

    public double SlowestMilliseconds { get; private set; }

    public double MostCpuMilliseconds { get; private set; }

    public long MostAllocatedBytes { get; private set; }

    public long FindingCount => Findings.Values.Sum();

    public void Add(ExecutionResult result)
    {
        Executions++;
        Outcomes[result.Outcome] = Outcomes.GetValueOrDefault(result.Outcome) + 1;
        if (result.Finding is { } kind)
        {
            Findings[kind.ToString()] = Findings.GetValueOrDefault(kind.ToString()) + 1;
        }
        else
        {
            SlowestMilliseconds = Math.Max(SlowestMilliseconds, result.Milliseconds);
            MostCpuMilliseconds = Math.Max(MostCpuMilliseconds, result.CpuMilliseconds);
            MostAllocatedBytes = Math.Max(MostAllocatedBytes, result.AllocatedBytes);
        }
    }

    public string Line(TimeSpan elapsed)
    {
        var rate = Executions / Math.Max(elapsed.TotalSeconds, 1e-9);
        var findings = Findings.Count == 0 ? "none" : string.Join(", ", Findings.Select(f => $"{f.Key} {f.Value}"));
        var top = string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Take(6).Select(o => $"{o.Key} {o.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{elapsed:hh\\:mm\\:ss}] {Executions} executions, {rate:F1}/s; findings: {findings}; outcomes: {top}; slowest {SlowestMilliseconds:F0} ms (most processor time {MostCpuMilliseconds:F0} ms), most allocated {MostAllocatedBytes / 1048576.0:F0} MiB");
    }

    public void Save(string path, FindingStore findings)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            executions = Executions,
            seconds = Elapsed.TotalSeconds,
            executionsPerSecond = Executions / Math.Max(Elapsed.TotalSeconds, 1e-9),
            outcomes = Outcomes,
            findings = Findings,
            slowestMilliseconds = SlowestMilliseconds,
            mostCpuMilliseconds = MostCpuMilliseconds,
            mostAllocatedBytes = MostAllocatedBytes,
            unique = findings.BySignature.Select(f => new { signature = f.Key, folder = f.Value.Folder, hits = f.Value.Hits }),
        }, JsonOptions));
    }
}
