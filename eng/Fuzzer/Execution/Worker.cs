using System.Globalization;
using System.Text.Json;
using ModelBuild.Fuzzing.Inputs;

namespace ModelBuild.Fuzzing.Execution;

/// <summary>
/// A worker process: reads <c>RUN first count</c> lines from its supervisor, executes those inputs one
/// after the other and reports <c>START i</c> before and <c>END i {json}</c> after each, then <c>IDLE</c>.
/// A hang or a crash leaves a START without its END; the supervisor takes it from there.
/// </summary>
public static class Worker
{
    public static int Run(IInputSource source, string scratch, long allocationLimitBytes)
    {
        var executor = new Executor(scratch, allocationLimitBytes);
        var output = Console.Out;
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var parts = line.Split(' ');
            if (parts is not ["RUN", var first, var count])
            {
                continue;
            }

            var start = long.Parse(first, CultureInfo.InvariantCulture);
            var end = start + long.Parse(count, CultureInfo.InvariantCulture);
            for (var index = start; index < end; index++)
            {
                output.WriteLine($"START {index.ToString(CultureInfo.InvariantCulture)}");
                output.Flush();
                var result = executor.Run(source.Input(index));
                output.WriteLine($"END {index.ToString(CultureInfo.InvariantCulture)} {JsonSerializer.Serialize(result)}");
                output.Flush();
            }

            output.WriteLine("IDLE");
            output.Flush();
        }

        return 0;
    }
}
